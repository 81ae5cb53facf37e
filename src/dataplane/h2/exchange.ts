/**
 * The raw engine's HTTP/2 request: one stream of an h2 session (session.ts), routed by handleExchange like every
 * request and forwarded as HTTP/1.1 over an H1Pool connection (the upstream side, retries and mirrors included, is
 * PooledExchange's: h1/pooled-exchange.ts, as for RawExchange). It owns the client side, in HTTP/2's framing: the
 * response head is one stream.respond() (headers.ts), the body flows with backpressure both ways (a stream whose
 * buffer is full pauses the upstream socket, a full upstream socket pauses the stream), and a response that cannot be
 * completed (route timeout, upstream failure after the head) is cut with RST_STREAM INTERNAL_ERROR. A stream the
 * client resets, or a session that goes away, aborts the upstream request and reports 499. CONNECT (a tunnel; RFC
 * 8441's extended CONNECT is not offered) is answered 501 Not Implemented: the gateway supports it for no resource
 * (RFC 9110 15.6.2).
 */

import type { ServerHttp2Stream } from 'node:http2';
import { DataplaneError, ERROR_STATUS, type ResponseErrorCode } from '../errors.ts';
import type { ResponseHead } from '../h1/parser.ts';
import { DONE, PooledExchange, SENT, STREAMING } from '../h1/pooled-exchange.ts';
import type { UpstreamConnection } from '../h1/upstream.ts';
import type { ListenerContext } from '../http/exchange.ts';
import { handleExchange } from '../http/handler.ts';
import { statusBody, TEXT_PLAIN } from '../http/respond.ts';
import { type H2Request, joinRepeated, localFields, responseFields } from './headers.ts';

/** RST_STREAM NO_ERROR (RFC 9113 7), as in http2.constants (not loaded at import). */
const NGHTTP2_NO_ERROR = 0;

/**
 * Destroys a stream whose response cannot be completed: node:http2 then sends RST_STREAM INTERNAL_ERROR. (Its
 * stream.close(code) would first end the stream, and the client would take the cut response for a whole one.)
 */
export class StreamCutError extends DataplaneError {
  readonly code = 'ARCHWAY_ERR_STREAM_CUT';
}

const CONTINUE = { ':status': 100 };

/** What a stream needs from its session. */
export interface StreamOwner {
  readonly ctx: ListenerContext;
  /** The exchange is over (answered, cut or abandoned). */
  done(ex: H2Exchange): void;
}

function ignore(): void {}

export class H2Exchange extends PooledExchange {
  readonly stream: ServerHttp2Stream;
  /** Sweep time (ms) the stream arrived, for requestTimeoutMs. */
  readonly arrivedAt: number;
  readonly #owner: StreamOwner;
  readonly #request: H2Request;
  /** The HEADERS frame ended the stream: no DATA follows. */
  readonly #noBody: boolean;
  #bodyless = false;
  /**
   * The first body chunk of a read, held until the read has been delivered: when the response ends in the same read
   * it leaves with END_STREAM in one stream.end() (one call into node:http2 instead of a write and an end).
   */
  #held: Buffer | null = null;
  #bodyBlocked = false;
  /** The request body arrived whole (or there is none). */
  #bodyDone: boolean;

  constructor(owner: StreamOwner, stream: ServerHttp2Stream, req: H2Request, remoteAddress: string, now: number) {
    super(owner.ctx, req.method, req.path, req.fields, remoteAddress, req.contentLength);
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
    return !this.#bodyDone && this.phase !== DONE;
  }

  /** Routes and forwards (or answers) the request. */
  start(): void {
    const req = this.#request;
    if (req.method === 'CONNECT') this.fail('ARCHWAY_ERR_NOT_IMPLEMENTED');
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

  protected prepareRequest(): void {
    this.chunked = this.hasBody && this.contentLength < 0;
  }

  // --- upstream side (UpstreamHandler) ---

  protected startResponse(head: ResponseHead, bodyless: boolean): void {
    this.#bodyless = bodyless;
    if (this.#respondHead(responseFields(head, this.backend!.plan), bodyless)) return;
    if (this.stream.destroyed) return; // the client left: its 'close' reports it
    this.abortUpstream();
    this.phase = SENT;
    this.fail('ARCHWAY_ERR_UPSTREAM_RESET'); // fields HTTP/2 cannot carry
  }

  onUpstreamData(chunk: Buffer): void {
    // hot path
    if (this.phase !== STREAMING) return;
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
    const up = this.upstream;
    if (up === null) return;
    // The chunk lives in the upstream connection's read buffer: a queued write keeps that memory.
    if (stream.writableLength !== 0) up.keep();
    if (!ok && !this.upstreamPaused) {
      this.upstreamPaused = true;
      up.pause();
    }
  }

  onUpstreamFlush(): void {
    if (this.phase === STREAMING) this.#writeHeld();
  }

  protected endResponse(up: UpstreamConnection | null): void {
    // hot path (a connection paused for this client is resumed by its pool when released: upstream.ts)
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

  onUpstreamDrain(): void {
    if (!this.#bodyBlocked) return;
    this.#bodyBlocked = false;
    this.stream.resume();
  }

  /** Never asked for (no Upgrade is sent upstream): upstream.ts refuses an unrequested 101 before this. */
  onUpstreamUpgrade(): void {
    this.abortUpstream();
    this.onUpstreamError('ARCHWAY_ERR_UPSTREAM_RESET', false);
  }

  onTunnelData(): void {}

  onTunnelClose(): void {}

  // --- client side ---

  /** The stream closed (RST_STREAM from the client, session gone): the session forgets it. */
  protected override clientGone(): void {
    this.#owner.done(this);
  }

  // --- internals ---

  /** Delivers the request body upstream as it arrives (it waits in the stream, under flow control, until now). */
  protected startBody(): void {
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
    // node:http2 hands each chunk in memory of its own: kept without a copy
    if (!this.forwardBody(chunk, false) && !this.#bodyBlocked) {
      this.#bodyBlocked = true;
      this.stream.pause();
    }
  }

  #onBodyEnd(): void {
    this.#bodyDone = true;
    this.forwardBodyEnd();
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
    this.headSent = true;
    return true;
  }

  /** A response the proxy makes itself: `fields` (flat) plus Content-Length; no body for HEAD. */
  #respond(status: number, fields: readonly string[], body: string): void {
    if (this.phase === DONE || this.headSent) return;
    this.abortUpstream();
    this.status = status;
    const bodyless = body === '' || this.method === 'HEAD';
    if (this.#respondHead(localFields(status, fields, body.length), bodyless)) {
      if (!bodyless) this.stream.end(body, 'latin1');
      this.#finish();
    } else if (!this.stream.destroyed) {
      this.truncate(status);
    }
  }

  #finish(): void {
    this.complete();
    // RFC 9113 8.1: a complete response may end a request still being sent; RST_STREAM NO_ERROR (after the
    // response's frames) tells the client to stop sending.
    if (!this.#bodyDone) this.stream.close(NGHTTP2_NO_ERROR);
    this.#owner.done(this);
  }

  /** The response started (or cannot start) and cannot be completed: reset the stream (INTERNAL_ERROR). */
  protected cut(): void {
    if (!this.stream.destroyed) this.stream.destroy(new StreamCutError(`response cut: ${this.status}`));
    this.#owner.done(this);
  }
}
