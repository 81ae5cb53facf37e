/**
 * HTTP/2 for the raw engine's listeners: a TLS connection whose ALPN protocol is "h2", or a connection that opens with
 * the HTTP/2 client preface (h2c with prior knowledge, h1/connection.ts), becomes a node:http2 server session
 * (http2.performServerHandshake: no http2 server object, nothing listens), each of its streams an H2Exchange.
 * Settings: MAX_CONCURRENT_STREAMS 128; MAX_HEADER_LIST_SIZE maxHeaderBytes (nghttp2 resets a stream whose header
 * list is larger, RST_STREAM ENHANCE_YOUR_CALM), and header pairs bounded a little above maxHeaderCount (the
 * handler's count check answers 431 up to there). Timeouts come from the listener's sweep, as for HTTP/1.1
 * connections: a session without open streams for keepAliveTimeoutMs is closed (GOAWAY), and destroyed if it is still
 * there another keepAliveTimeoutMs later; a stream whose request body has not arrived whole within requestTimeoutMs
 * is answered 408 (or reset, when its response has started). closeIdle (the listener is being removed) sends GOAWAY
 * at once: streams in flight finish, new ones are refused, then the session ends; closeAll destroys it. Protocol
 * errors are nghttp2's to answer (GOAWAY or RST_STREAM); every session and stream has an 'error' listener, so nothing
 * a client sends throws out of here.
 *
 * node:http2 loads with the first HTTPS listener (process.getBuiltinModule), not at import, like node:tls (see
 * h1/server.ts): a process that serves HTTP only never pays for it.
 */

import type * as Http2 from 'node:http2';
import type { ServerHttp2Session, ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Sweepable, Sweeper } from '../h1/sweeper.ts';
import type { ListenerContext } from '../http/exchange.ts';
import type { HttpLimits } from '../http/limits.ts';
import { H2Exchange, type StreamOwner } from './exchange.ts';
import { readRequest } from './headers.ts';

/** Streams a client may have open at once on one session (SETTINGS_MAX_CONCURRENT_STREAMS). */
export const MAX_CONCURRENT_STREAMS = 128;
/** Header fields beyond maxHeaderCount that nghttp2 still accepts: pseudo-header fields, and room for a 431. */
const EXTRA_HEADER_PAIRS = 16;

function ignore(): void {}

function sessionOptions(limits: HttpLimits): Http2.ServerSessionOptions {
  return {
    settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS, maxHeaderListSize: limits.maxHeaderBytes },
    maxHeaderListPairs: limits.maxHeaderCount + EXTRA_HEADER_PAIRS,
  };
}

/** The h2 sessions of one HTTPS listener. */
export class H2Sessions implements Sweepable {
  readonly ctx: ListenerContext;
  readonly sweeper: Sweeper;
  readonly #http2: typeof Http2;
  readonly #options: Http2.ServerSessionOptions;
  readonly #all = new Set<H2Session>();

  constructor(ctx: ListenerContext, sweeper: Sweeper) {
    this.ctx = ctx;
    this.sweeper = sweeper;
    this.#http2 = process.getBuiltinModule('node:http2');
    this.#options = sessionOptions(ctx.limits);
  }

  /** Serves a TLS connection that negotiated h2, or a connection that opened with the HTTP/2 preface (h2c). */
  accept(socket: Socket): void {
    const session = this.#http2.performServerHandshake(socket, this.#options);
    this.#all.add(new H2Session(this, session, socket.remoteAddress ?? ''));
  }

  forget(s: H2Session): void {
    this.#all.delete(s);
  }

  sweep(now: number): void {
    for (const s of this.#all) s.sweep(now);
  }

  /** GOAWAY on every session: in-flight streams finish, then each session ends. */
  closeIdle(): void {
    for (const s of this.#all) s.close();
  }

  closeAll(): void {
    for (const s of this.#all) s.destroy();
  }

  /** Open sessions (tests). */
  get size(): number {
    return this.#all.size;
  }
}

/** One h2 connection: its streams, and since when it has had none. */
class H2Session implements StreamOwner {
  readonly #owner: H2Sessions;
  readonly #session: ServerHttp2Session;
  readonly #remoteAddress: string;
  /** Exchanges in progress (their request timeouts are swept). */
  readonly #active = new Set<H2Exchange>();
  /** Streams open (node closes a stream once its response is flushed, or on reset). */
  #open = 0;
  /** Sweep time the session last became (or was made) idle. */
  #since: number;
  #closing = false;

  constructor(owner: H2Sessions, session: ServerHttp2Session, remoteAddress: string) {
    this.#owner = owner;
    this.#session = session;
    this.#remoteAddress = remoteAddress;
    this.#since = owner.sweeper.now;
    session.on('stream', (stream: ServerHttp2Stream, _h: unknown, _f: number, raw: string[]) =>
      this.#onStream(stream, raw),
    );
    session.on('error', ignore);
    session.on('close', () => owner.forget(this));
  }

  get ctx(): ListenerContext {
    return this.#owner.ctx;
  }

  done(ex: H2Exchange): void {
    this.#active.delete(ex);
  }

  sweep(now: number): void {
    const limits = this.#owner.ctx.limits;
    for (const ex of this.#active) {
      if (ex.receiving && now - ex.arrivedAt > limits.requestTimeoutMs) ex.requestTimedOut();
    }
    if (this.#open !== 0 || now - this.#since <= limits.keepAliveTimeoutMs) return;
    if (this.#closing) {
      this.destroy(); // GOAWAY was sent a keep-alive period ago and the client is still there
      return;
    }
    this.close();
  }

  /** GOAWAY: streams in flight finish, then the session ends. */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#since = this.#owner.sweeper.now;
    if (!this.#session.closed) this.#session.close();
  }

  destroy(): void {
    this.#session.destroy();
  }

  #onStream(stream: ServerHttp2Stream, raw: string[]): void {
    this.#open++;
    stream.once('close', () => this.#onStreamClose());
    const ex = new H2Exchange(this, stream, readRequest(raw), this.#remoteAddress, this.#owner.sweeper.now);
    this.#active.add(ex);
    ex.start();
  }

  #onStreamClose(): void {
    if (--this.#open !== 0) return;
    this.#since = this.#owner.sweeper.now;
    if (this.#owner.ctx.closing) this.close();
  }
}
