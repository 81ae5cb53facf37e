/**
 * The raw engine's HTTP/2 request: one stream of an h2 session (session.ts), routed by handleExchange like every
 * request and forwarded as HTTP/1.1 over an H1Pool connection, whose handler it is. It follows RawExchange
 * (h1/exchange.ts) phase for phase: retries (a retriable response is read and dropped, a small request body is kept
 * to be sent again), mirrors fed as the body flows, route and attempt timeouts, one observer report. The framing is
 * HTTP/2's: the response head is one stream.respond() (headers.ts), the body flows with backpressure both ways (a
 * stream whose buffer is full pauses the upstream socket, a full upstream socket pauses the stream), and a response
 * that cannot be completed (route timeout, upstream failure after the head) is cut with RST_STREAM INTERNAL_ERROR. A
 * stream the client resets, or a session that goes away, aborts the upstream request and reports 499. CONNECT (a
 * tunnel; RFC 8441's extended CONNECT is not offered) is answered 501 Not Implemented: the gateway supports it for no
 * resource (RFC 9110 15.6.2).
 */

import type { ServerHttp2Stream } from 'node:http2';
import { http } from '../../lib/node-http.ts';
import { DataplaneError, ERROR_STATUS, type ResponseErrorCode } from '../errors.ts';
import { requestHead } from '../h1/heads.ts';
import { type MirrorBodies, startMirrors } from '../h1/mirrors.ts';
import type { ResponseHead } from '../h1/parser.ts';
import type { H1Pool } from '../h1/pool.ts';
import type { UpstreamConnection, UpstreamHandler } from '../h1/upstream.ts';
import { CRLF, chunkHeader, LAST_CHUNK } from '../h1/writes.ts';
import { Exchange, type ListenerContext, RETRY_BODY_BYTES } from '../http/exchange.ts';
import { handleExchange } from '../http/handler.ts';
import type { MirrorPlan } from '../http/table.ts';
import type { Endpoint } from '../upstream/pools.ts';
import { type H2Request, joinRepeated, localFields, responseFields } from './headers.ts';

const { STATUS_CODES } = http;

const WAITING = 0;
const SENT = 1;
/** A retriable response is being read and dropped; the next attempt follows. */
const DISCARD = 2;
const STREAMING = 3;
const DONE = 4;

/** RST_STREAM NO_ERROR (RFC 9113 7), as in http2.constants (not loaded at import). */
const NGHTTP2_NO_ERROR = 0;

/**
 * Destroys a stream whose response cannot be completed: node:http2 then sends RST_STREAM INTERNAL_ERROR. (Its
 * stream.close(code) would first end the stream, and the client would take the cut response for a whole one.)
 */
export class StreamCutError extends DataplaneError {
  readonly code = 'ARCHWAY_ERR_STREAM_CUT';
}

const TEXT_PLAIN = ['content-type', 'text/plain; charset=utf-8'];
const CONTINUE = { ':status': 100 };

/** What a stream needs from its session. */
export interface StreamOwner {
  readonly ctx: ListenerContext;
  /** The exchange is over (answered, cut or abandoned). */
  done(ex: H2Exchange): void;
}

function ignore(): void {}

/** The text body of a response the proxy makes itself, as the HTTP/1.1 side writes it. */
function statusBody(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Error'}\n`;
}

export class H2Exchange extends Exchange implements UpstreamHandler {
  readonly stream: ServerHttp2Stream;
  /** Sweep time (ms) the stream arrived, for requestTimeoutMs. */
  readonly arrivedAt: number;
  readonly #owner: StreamOwner;
  readonly #request: H2Request;
  /** The HEADERS frame ended the stream: no DATA follows. */
  readonly #noBody: boolean;
  #phase = WAITING;
  #pool: H1Pool | null = null;
  #upstream: UpstreamConnection | null = null;
  #target = '';
  /** Host fallback for a request without one: the endpoint ("addr:port"). */
  #endpointKey = '';
  #chunked = false;
  #headSent = false;
  #bodyless = false;
  /**
   * The first body chunk of a read, held until the read has been delivered: when the response ends in the same read
   * it leaves with END_STREAM in one stream.end() (one call into node:http2 instead of a write and an end).
   */
  #held: Buffer | null = null;
  #upstreamPaused = false;
  #retried = false;
  #mirrors: MirrorBodies | null = null;
  /** Copy of the request body for retries (routes with a retry policy, small bodies). */
  #replay: Buffer[] | null = null;
  #bodyStarted = false;
  #bodyBlocked = false;
  /** The request body arrived whole (or there is none). */
  #bodyDone: boolean;

  constructor(owner: StreamOwner, stream: ServerHttp2Stream, req: H2Request, remoteAddress: string, now: number) {
    const ctx = owner.ctx;
    const startedAt = ctx.observer === null ? 0 : performance.now();
    super(ctx, req.method, req.path, req.fields, remoteAddress, startedAt);
    this.stream = stream;
    this.arrivedAt = now;
    this.#owner = owner;
    this.#request = req;
    this.#noBody = stream.endAfterHeaders;
    this.#bodyDone = this.#noBody;
    this.hasBody = !this.#noBody;
    stream.on('error', ignore);
    stream.on('close', () => this.onClientClose());
    stream.on('drain', () => this.onClientDrain());
  }

  /** Whether the request body is still expected (requestTimeoutMs applies). */
  get receiving(): boolean {
    return !this.#bodyDone && this.#phase !== DONE;
  }

  /** Routes and forwards (or answers) the request. */
  start(): void {
    const req = this.#request;
    if (req.method === 'CONNECT') this.#respond(501, TEXT_PLAIN, statusBody(501));
    else if (req.error !== null) this.fail(req.error);
    else if (this.#noBody && req.contentLength > 0)
      this.fail('ARCHWAY_ERR_BAD_REQUEST'); // a length, but no DATA
    else handleExchange(this);
  }

  fail(code: ResponseErrorCode): void {
    const status = ERROR_STATUS[code];
    this.#respond(status, TEXT_PLAIN, statusBody(status));
  }

  redirect(status: number, headers: string[]): void {
    this.#respond(status, headers, '');
  }

  dispatch(endpoint: Endpoint, target: string, mirrors: readonly MirrorPlan[] | null): void {
    this.#target = target;
    this.#endpointKey = endpoint.key;
    const length = this.#request.contentLength;
    this.#chunked = this.hasBody && length < 0;
    if (mirrors !== null) {
      const copy = { path: target, method: this.method, headers: this.headers };
      this.#mirrors = startMirrors(mirrors, copy, this.hasBody, this.ctx.limits.mirrorBodyBytes);
    } else if (this.hasBody && this.#pool === null && this.route!.retry !== null) {
      if (length >= 0 && length <= RETRY_BODY_BYTES) this.#replay = [];
    }
    this.#pool = endpoint.h1();
    this.#pool.acquire(this, false);
  }

  protected attemptTimeout(): void {
    if (this.#phase >= STREAMING) {
      this.timeout();
      return;
    }
    this.#abortUpstream();
    this.#phase = WAITING;
    if (!this.scheduleRetry()) this.fail('ARCHWAY_ERR_ROUTE_TIMEOUT');
  }

  protected timeout(): void {
    if (this.#phase === DONE) return;
    this.#abortUpstream();
    if (this.#headSent) this.#truncate(ERROR_STATUS.ARCHWAY_ERR_ROUTE_TIMEOUT);
    else this.fail('ARCHWAY_ERR_ROUTE_TIMEOUT');
  }

  // --- upstream side (UpstreamHandler) ---

  onUpstreamConnection(conn: UpstreamConnection): void {
    if (this.#phase !== WAITING) {
      conn.pool.release(conn);
      return;
    }
    this.#phase = SENT;
    this.#upstream = conn;
    const isHead = this.method === 'HEAD';
    const length = this.#request.contentLength;
    const text = requestHead(this.method, this.#target, this.headers, this.#endpointKey, length, this.#chunked, '');
    if (!this.hasBody) {
      conn.send(this, text, false, isHead, false);
      return;
    }
    conn.socket.cork();
    conn.send(this, text, true, isHead, false);
    if (this.#bodyStarted) {
      for (const chunk of this.#replay!) conn.writeBody(chunk); // a retry: the whole body was kept
      conn.endBody();
    } else {
      this.#bodyStarted = true;
      this.#startBody();
    }
    conn.socket.uncork();
  }

  onUpstreamHead(head: ResponseHead, bodyless: boolean): void {
    if (this.#phase !== SENT) return;
    if (this.retriableStatus(head.status)) {
      this.#phase = DISCARD;
      return;
    }
    this.#phase = STREAMING;
    this.status = head.status;
    this.#bodyless = bodyless;
    if (this.#respondHead(responseFields(head, this.backend!.plan), bodyless)) return;
    if (this.stream.destroyed) return; // the client left: its 'close' reports it
    this.#abortUpstream();
    this.#phase = SENT;
    this.fail('ARCHWAY_ERR_UPSTREAM_RESET'); // fields HTTP/2 cannot carry
  }

  onUpstreamData(chunk: Buffer): void {
    // hot path
    if (this.#phase !== STREAMING) return;
    if (this.#held === null) {
      this.#held = chunk; // still in the upstream read buffer: written (or ended with) before the next read
      return;
    }
    this.#writeHeld();
    this.#write(chunk);
  }

  #writeHeld(): void {
    const held = this.#held;
    if (held === null) return;
    this.#held = null;
    this.#write(held);
  }

  #write(chunk: Buffer): void {
    const stream = this.stream;
    const ok = stream.write(chunk);
    const up = this.#upstream;
    if (up === null) return;
    // The chunk lives in the upstream connection's read buffer: a queued write keeps that memory.
    if (stream.writableLength !== 0) up.keep();
    if (!ok && !this.#upstreamPaused) {
      this.#upstreamPaused = true;
      up.pause();
    }
  }

  onUpstreamFlush(): void {
    if (this.#phase === STREAMING) this.#writeHeld();
  }

  onUpstreamEnd(): void {
    // hot path
    const up = this.#upstream;
    this.#upstream = null;
    if (this.#upstreamPaused && up !== null) {
      // The connection may serve another request (it is back in its pool): it must not stay paused.
      this.#upstreamPaused = false;
      up.resume();
    }
    if (this.#phase !== STREAMING) {
      if (this.#phase === DISCARD) this.#nextAttempt('ARCHWAY_ERR_UPSTREAM_RESET');
      return;
    }
    const held = this.#held;
    this.#held = null;
    if (this.#bodyless) {
      // nothing to send: END_STREAM went with the head
    } else if (held !== null) {
      this.stream.end(held);
      if (this.stream.writableLength !== 0) up?.keep(); // queued: the read buffer it lives in must not be reused
    } else this.stream.end();
    this.#finish();
  }

  onUpstreamError(code: ResponseErrorCode, retryable: boolean): void {
    this.#upstream = null;
    const phase = this.#phase;
    if (phase === DONE) return;
    if (phase <= DISCARD && this.route!.retry !== null) {
      this.#nextAttempt(code);
      return;
    }
    if (retryable && !this.#retried && !this.hasBody && phase === SENT) {
      this.#retried = true;
      this.#phase = WAITING;
      this.#pool!.acquire(this, true);
      return;
    }
    if (this.#headSent) this.#truncate(ERROR_STATUS[code]);
    else this.fail(code);
  }

  onUpstreamDrain(): void {
    if (!this.#bodyBlocked) return;
    this.#bodyBlocked = false;
    this.stream.resume();
  }

  /** Never asked for (no Upgrade is sent upstream): upstream.ts refuses an unrequested 101 before this. */
  onUpstreamUpgrade(): void {
    this.#abortUpstream();
    this.onUpstreamError('ARCHWAY_ERR_UPSTREAM_RESET', false);
  }

  onTunnelData(): void {}

  onTunnelClose(): void {}

  // --- client side ---

  /** The client took too long to send its request body (requestTimeoutMs; the session's sweep calls this). */
  requestTimedOut(): void {
    if (this.#phase === DONE) return;
    this.#destroyMirrors();
    this.#abortUpstream();
    if (this.#headSent) this.#truncate(ERROR_STATUS.ARCHWAY_ERR_REQUEST_TIMEOUT);
    else this.fail('ARCHWAY_ERR_REQUEST_TIMEOUT');
  }

  onClientDrain(): void {
    if (!this.#upstreamPaused) return;
    this.#upstreamPaused = false;
    this.#upstream?.resume();
  }

  /** The stream closed (RST_STREAM from the client, session gone) before the response was complete. */
  onClientClose(): void {
    const phase = this.#phase;
    if (phase === DONE) return;
    this.#phase = DONE;
    this.clearTimer();
    this.#destroyMirrors();
    this.#abortUpstreamOf(phase);
    this.report(ERROR_STATUS.ARCHWAY_ERR_CLIENT_CLOSED);
    this.#owner.done(this);
  }

  // --- internals ---

  /** Delivers the request body upstream as it arrives (it waits in the stream, under flow control, until now). */
  #startBody(): void {
    const stream = this.stream;
    if (this.#request.expectContinue) {
      try {
        stream.additionalHeaders(CONTINUE);
      } catch {
        // the stream is closing: its 'close' ends the exchange
      }
    }
    if (this.#noBody) {
      this.#onBodyEnd();
      return;
    }
    stream.on('data', (chunk: Buffer) => this.#onBodyData(chunk));
    stream.on('end', () => this.#onBodyEnd());
  }

  #onBodyData(chunk: Buffer): void {
    // hot path
    if (chunk.length === 0) return;
    this.#mirrors?.feed(chunk);
    this.#replay?.push(chunk); // node:http2 hands each chunk in memory of its own: no copy needed
    const up = this.#upstream;
    if (up === null) return;
    let ok: boolean;
    if (!this.#chunked) {
      ok = up.writeBody(chunk);
    } else {
      up.writeBody(chunkHeader(chunk.length));
      up.writeBody(chunk);
      ok = up.writeBody(CRLF);
    }
    if (!ok && !this.#bodyBlocked) {
      this.#bodyBlocked = true;
      this.stream.pause();
    }
  }

  #onBodyEnd(): void {
    this.#bodyDone = true;
    this.#mirrors?.end();
    if (this.#replay !== null) this.bodyKept = true;
    const up = this.#upstream;
    if (up === null) return;
    if (this.#chunked) up.writeBody(LAST_CHUNK);
    up.endBody();
  }

  /** Sends the response head; false when the stream is gone or node:http2 refuses the fields. */
  #respondHead(fields: string[], endStream: boolean): boolean {
    const stream = this.stream;
    if (stream.destroyed || stream.headersSent) return false;
    const options = { endStream };
    try {
      stream.respond(fields, options);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ERR_HTTP2_HEADER_SINGLE_VALUE') return false;
      try {
        stream.respond(joinRepeated(fields), options);
      } catch {
        return false;
      }
    }
    this.#headSent = true;
    return true;
  }

  /** A response the proxy makes itself: `fields` (flat) plus Content-Length; no body for HEAD. */
  #respond(status: number, fields: readonly string[], body: string): void {
    if (this.#phase === DONE || this.#headSent) return;
    this.#abortUpstream();
    this.status = status;
    const bodyless = body === '' || this.method === 'HEAD';
    if (this.#respondHead(localFields(status, fields, body.length), bodyless)) {
      if (!bodyless) this.stream.end(body, 'latin1');
      this.#finish();
    } else if (!this.stream.destroyed) {
      this.#truncate(status);
    }
  }

  /** The attempt is over and nothing reached the client: retry after the backoff, or answer for the last one. */
  #nextAttempt(code: ResponseErrorCode): void {
    this.#phase = WAITING;
    if (!this.scheduleRetry()) this.fail(this.lastAttemptCode(code));
  }

  #finish(): void {
    this.#phase = DONE;
    this.clearTimer();
    this.#destroyMirrors();
    this.report(this.status);
    // RFC 9113 8.1: a complete response may end a request still being sent; RST_STREAM NO_ERROR (after the
    // response's frames) tells the client to stop sending.
    if (!this.#bodyDone) this.stream.close(NGHTTP2_NO_ERROR);
    this.#owner.done(this);
  }

  /** The response started (or cannot start) and cannot be completed: reset the stream (INTERNAL_ERROR). */
  #truncate(status: number): void {
    this.#phase = DONE;
    this.status = status;
    this.clearTimer();
    this.#destroyMirrors();
    this.report(status);
    if (!this.stream.destroyed) this.stream.destroy(new StreamCutError(`response cut: ${status}`));
    this.#owner.done(this);
  }

  #abortUpstream(): void {
    this.#abortUpstreamOf(this.#phase);
  }

  #abortUpstreamOf(phase: number): void {
    const up = this.#upstream;
    this.#upstream = null;
    if (up !== null) up.abort();
    else if (phase === WAITING && this.#pool !== null) this.#pool.cancel(this);
  }

  #destroyMirrors(): void {
    this.#mirrors?.destroy();
    this.#mirrors = null;
  }
}
