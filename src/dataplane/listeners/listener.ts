/**
 * One bound address:port. It is the request context of its server: `table` (and `tls`) are swapped by one reference
 * assignment, so a request keeps the table it started with. Closing stops accepting at once, lets in-flight requests
 * finish (their responses ask clients to close), sweeps keep-alive sockets as they turn idle, and after the drain
 * timeout closes whatever is left.
 */

import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import type { HttpListenerIR } from '../../ir/types.ts';
import { createRawServer, type ListenerServer } from '../h1/server.ts';
import type { ListenerContext } from '../http/exchange.ts';
import type { HttpLimits } from '../http/limits.ts';
import { handleNodeRequest } from '../http/node-exchange.ts';
import type { CompiledTable } from '../http/table.ts';
import type { DataplaneObserver } from '../observer.ts';
import { selectContext, type TlsTable } from '../tls/contexts.ts';
import { createListenerServer, type TlsServerOptions } from './server.ts';

/** Which HTTP/1.1 implementation serves a listener: node:http + undici, or the raw-socket engine of h1/. */
export type HttpEngine = 'node' | 'raw';

interface SecureServer {
  setSecureContext(options: SecureContextOptions): void;
}

function createServer(engine: HttpEngine, ctx: Listener, tls: TlsServerOptions | null): ListenerServer {
  if (engine === 'raw') return createRawServer(ctx, tls);
  return createListenerServer(ctx.limits, tls, (req, res) => handleNodeRequest(ctx, req, res));
}

const IDLE_SWEEP_MS = 50;

export class Listener implements ListenerContext {
  readonly name: string;
  readonly address: string;
  readonly scheme: 'http' | 'https';
  readonly observer: DataplaneObserver | null;
  readonly limits: HttpLimits;
  table: CompiledTable;
  tls: TlsTable | null;
  port: number;
  closing = false;
  readonly #server: ListenerServer;
  #closed: Promise<void> | null = null;

  constructor(
    ir: HttpListenerIR,
    table: CompiledTable,
    tls: TlsTable | null,
    observer: DataplaneObserver | null,
    limits: HttpLimits,
    engine: HttpEngine,
  ) {
    this.name = ir.name;
    this.address = ir.address;
    this.port = ir.port;
    this.scheme = ir.protocol;
    this.observer = observer;
    this.limits = limits;
    this.table = table;
    this.tls = tls;
    const tlsOptions =
      tls === null
        ? null
        : { ...tls.fallbackPem, sni: (servername: string) => selectContext(this.tls ?? tls, servername) };
    this.#server = createServer(engine, this, tlsOptions);
  }

  /** Binds; rejects with the system error (EADDRINUSE, EADDRNOTAVAIL, EACCES...). */
  listen(): Promise<void> {
    const server = this.#server;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        server.off('listening', onListening);
        reject(err);
      };
      const onListening = (): void => {
        server.off('error', onError);
        this.port = (server.address() as AddressInfo).port;
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen({ host: this.address, port: this.port, backlog: 511, reusePort: this.limits.reusePort });
    });
  }

  /** Installs a new table (and certificates); in-flight requests finish on the old one. */
  swap(table: CompiledTable, tls: TlsTable | null): void {
    const previous = this.tls;
    this.table = table;
    this.tls = tls;
    if (tls !== null && previous !== null && tls.fallback !== previous.fallback && 'setSecureContext' in this.#server) {
      (this.#server as ListenerServer & SecureServer).setSecureContext({
        cert: tls.fallbackPem.cert,
        key: tls.fallbackPem.key,
      });
    }
  }

  boundAddress(): AddressInfo | null {
    const a = this.#server.address();
    return a !== null && typeof a === 'object' ? a : null;
  }

  /** Graceful close; resolves when every connection is gone. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= new Promise((resolve) => {
      this.closing = true;
      const server = this.#server;
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      const force = setTimeout(() => server.closeAllConnections(), this.limits.drainTimeoutMs);
      force.unref();
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    return this.#closed;
  }
}
