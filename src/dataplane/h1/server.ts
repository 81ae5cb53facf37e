/**
 * The raw engine's listening sockets: a net.Server (HTTP) or a tls.Server (HTTPS: ALPN h2 and http/1.1, certificate by
 * SNI) whose connections are ClientConnections, or, for TLS connections that chose h2, HTTP/2 sessions (h2/). It
 * tracks them, so that the listener can close idle ones (h2 sessions get GOAWAY: their streams in flight finish) and,
 * after the drain timeout, all of them (the same calls node:http's server offers), and sweeps their timeouts every
 * connectionsCheckingIntervalMs. Accept errors (EMFILE...) never take the listener down.
 *
 * node:tls loads with the first HTTPS listener (process.getBuiltinModule), not at import: it maps OpenSSL's TLS code,
 * builds tls.rootCertificates when taken as an ES module, and costs ~3 MB resident for a process that serves HTTP only.
 * node:http2 loads with it too (h2/session.ts).
 */

import net, { type Socket } from 'node:net';
import type { TLSSocket, Server as TlsServer } from 'node:tls';
import { H2Sessions } from '../h2/session.ts';
import type { ListenerContext } from '../http/exchange.ts';
import type { TlsServerOptions } from '../listeners/server.ts';
import { ClientConnection, type ConnectionOwner } from './connection.ts';
import { type Sweepable, Sweeper } from './sweeper.ts';

/** What a listener needs from its server, whichever engine made it. */
export type ListenerServer = net.Server & {
  closeIdleConnections(): void;
  closeAllConnections(): void;
};

class Connections implements ConnectionOwner, Sweepable {
  readonly ctx: ListenerContext;
  readonly sweeper: Sweeper;
  readonly #all = new Set<ClientConnection>();
  /** The HTTP/2 sessions: HTTPS listeners (ALPN h2) and connections that open with the HTTP/2 preface (h2c). */
  #h2: H2Sessions | null = null;

  constructor(ctx: ListenerContext) {
    this.ctx = ctx;
    this.sweeper = new Sweeper(ctx.limits.connectionsCheckingIntervalMs);
  }

  /** Serves TLS connections that choose h2 as HTTP/2 (loads node:http2). */
  enableH2(): void {
    this.#h2 ??= new H2Sessions(this.ctx, this.sweeper);
  }

  /** A connection that opened with the HTTP/2 preface (h2c, or h2 over TLS without ALPN): node:http2 loads now. */
  acceptH2(socket: Socket): void {
    this.#h2 ??= new H2Sessions(this.ctx, this.sweeper);
    this.#h2.accept(socket);
  }

  accept(socket: Socket): void {
    this.#all.add(new ClientConnection(socket, this));
  }

  acceptSecure(socket: TLSSocket): void {
    if (socket.alpnProtocol === 'h2' && this.#h2 !== null) this.#h2.accept(socket);
    else this.accept(socket);
  }

  forget(conn: ClientConnection): void {
    this.#all.delete(conn);
  }

  sweep(now: number): void {
    for (const c of this.#all) c.sweep(now);
    this.#h2?.sweep(now);
  }

  closeIdle(): void {
    for (const c of this.#all) c.closeIfIdle();
    this.#h2?.closeIdle();
  }

  closeAll(): void {
    for (const c of this.#all) c.abort();
    this.#h2?.closeAll();
  }
}

function ignore(): void {}

function track(server: net.Server, conns: Connections): void {
  server.on('listening', () => conns.sweeper.add(conns));
  server.on('close', () => conns.sweeper.delete(conns));
  // Accept-time errors (EMFILE...) must not crash the process; the server keeps listening.
  server.on('error', ignore);
}

class RawServer extends net.Server {
  readonly #conns: Connections;

  constructor(ctx: ListenerContext) {
    super({ allowHalfOpen: true, noDelay: true });
    const conns = new Connections(ctx);
    this.#conns = conns;
    this.on('connection', (socket: Socket) => conns.accept(socket));
    track(this, conns);
  }

  closeIdleConnections(): void {
    this.#conns.closeIdle();
  }

  closeAllConnections(): void {
    this.#conns.closeAll();
  }
}

type RawTlsServerClass = new (ctx: ListenerContext, opts: TlsServerOptions) => TlsServer & ListenerServer;

let rawTlsServer: RawTlsServerClass | undefined;

/** The HTTPS server class, defined on first use over node:tls. */
function rawTlsServerClass(): RawTlsServerClass {
  rawTlsServer ??= class RawTlsServer extends process.getBuiltinModule('node:tls').Server {
    readonly #conns: Connections;

    constructor(ctx: ListenerContext, opts: TlsServerOptions) {
      // Not half-open: a TLS client that leaves mid-handshake would otherwise hold its socket until the handshake
      // timeout (and a TLS "half-close" is a close anyway).
      super({
        allowHalfOpen: false,
        noDelay: true,
        cert: opts.cert,
        key: opts.key,
        ALPNProtocols: ['h2', 'http/1.1'],
        minVersion: 'TLSv1.2',
        SNICallback: (servername, cb) => {
          try {
            cb(null, opts.sni(servername));
          } catch (err) {
            cb(err as Error, undefined);
          }
        },
      });
      const conns = new Connections(ctx);
      conns.enableH2();
      this.#conns = conns;
      this.on('secureConnection', (socket: TLSSocket) => conns.acceptSecure(socket));
      this.on('tlsClientError', ignore);
      track(this, conns);
    }

    closeIdleConnections(): void {
      this.#conns.closeIdle();
    }

    closeAllConnections(): void {
      this.#conns.closeAll();
    }
  };
  return rawTlsServer;
}

/** An HTTP server on raw sockets, or an HTTPS one when `tlsOptions` is given. */
export function createRawServer(ctx: ListenerContext, tlsOptions: TlsServerOptions | null): ListenerServer {
  return tlsOptions === null ? new RawServer(ctx) : new (rawTlsServerClass())(ctx, tlsOptions);
}
