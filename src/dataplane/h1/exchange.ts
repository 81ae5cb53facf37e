/**
 * The raw engine's request: a parsed RequestHead on a ClientConnection, forwarded over an H1Pool connection. It is
 * the upstream connection's handler: it writes the request head (one string) and streams the body with backpressure
 * both ways, re-frames the response for the client (Content-Length kept, otherwise chunked for HTTP/1.1 clients and
 * close-delimited for HTTP/1.0 ones), writes a small response's head and body in one write, and owns the ways a
 * request ends (upstream done, upstream failed, client gone, route timeout) so that the upstream connection is
 * aborted when the client leaves and the observer hears of the request exactly once. A reused upstream connection
 * that fails before answering is retried once on a new connection when the request has no body; on a route with a
 * retry policy the policy decides instead (exchange.ts): a retriable response is read to its end and dropped
 * (DISCARD), so its connection can be reused, then the next attempt starts after the backoff. A small request body
 * (Content-Length up to RETRY_BODY_BYTES) on such a route is copied as it streams to the first attempt, to be sent
 * again by the next ones.
 */

import { http } from '../../lib/node-http.ts';
import { ERROR_STATUS, type ResponseErrorCode } from '../errors.ts';
import { Exchange, type ListenerContext, RETRY_BODY_BYTES } from '../http/exchange.ts';
import { handleExchange } from '../http/handler.ts';
import type { MirrorPlan } from '../http/table.ts';
import type { Endpoint } from '../upstream/pools.ts';
import type { ClientConnection } from './connection.ts';
import {
  BODY_CHUNKED,
  BODY_LENGTH,
  BODY_NONE,
  BODY_UNTIL_CLOSE,
  localResponse,
  requestHead,
  responseHead,
  upgradeHead,
} from './heads.ts';
import { type MirrorBodies, startMirrors } from './mirrors.ts';
import type { RequestHead, ResponseHead } from './parser.ts';
import type { H1Pool } from './pool.ts';
import type { UpstreamConnection, UpstreamHandler } from './upstream.ts';
import { CRLF, chunkHeader, LAST_CHUNK, MERGE_MAX, writeCorked, writeMerged } from './writes.ts';

const { STATUS_CODES } = http;

const WAITING = 0;
const SENT = 1;
/** A retriable response is being read and dropped; the next attempt follows. */
const DISCARD = 2;
const STREAMING = 3;
const TUNNEL = 4;
const DONE = 5;

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
const TEXT_PLAIN = ['content-type', 'text/plain; charset=utf-8'];

export class RawExchange extends Exchange implements UpstreamHandler {
  readonly conn: ClientConnection;
  readonly head: RequestHead;
  #phase = WAITING;
  #pool: H1Pool | null = null;
  #upstream: UpstreamConnection | null = null;
  #target = '';
  /** Host for HTTP/1.0 requests that sent none: the endpoint ("addr:port", IPv6 in brackets). */
  #endpointKey = '';
  /** Response head built but not written yet (it leaves with the first body bytes). */
  #pendingHead: string | null = null;
  #headSent = false;
  #framing = BODY_NONE;
  #close = false;
  #upstreamPaused = false;
  #retried = false;
  #upgrade = '';
  #mirrors: MirrorBodies | null = null;
  /** Copy of the request body for retries (routes with a retry policy, small bodies). */
  #replay: Buffer[] | null = null;
  #bodyStarted = false;

  constructor(ctx: ListenerContext, conn: ClientConnection, head: RequestHead) {
    const startedAt = ctx.observer === null ? 0 : performance.now();
    super(ctx, head.method, head.target, head.headers, conn.remoteAddress, startedAt);
    this.conn = conn;
    this.head = head;
  }

  /** Routes and forwards (or answers) the request. */
  start(): void {
    handleExchange(this);
  }

  fail(code: ResponseErrorCode): void {
    const status = ERROR_STATUS[code];
    this.#respond(
      status,
      TEXT_PLAIN,
      `${status} ${STATUS_CODES[status] ?? 'Error'}\n`,
      status === 400 || status === 431,
    );
  }

  redirect(status: number, headers: string[]): void {
    this.#respond(status, headers, '', false);
  }

  dispatch(endpoint: Endpoint, target: string, mirrors: readonly MirrorPlan[] | null): void {
    this.#target = target;
    this.#endpointKey = endpoint.key;
    const head = this.head;
    if (head.upgradeToken && !this.hasBody && equalsWebsocket(head.upgrade)) this.#upgrade = head.upgrade;
    if (mirrors !== null) {
      const copy = { path: target, method: this.method, headers: this.headers };
      this.#mirrors = startMirrors(mirrors, copy, this.hasBody, this.ctx.limits.mirrorBodyBytes);
    } else if (this.hasBody && this.#pool === null && this.route!.retry !== null) {
      if (!head.chunked && head.contentLength <= RETRY_BODY_BYTES) this.#replay = [];
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
    if (this.#phase >= TUNNEL) return;
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
    const head = this.head;
    const text = requestHead(
      this.method,
      this.#target,
      this.headers,
      this.#endpointKey,
      head.contentLength,
      head.chunked,
      this.#upgrade,
    );
    if (!this.hasBody) {
      conn.send(this, text, false, this.method === 'HEAD', this.#upgrade !== '');
      return;
    }
    conn.socket.cork();
    conn.send(this, text, true, this.method === 'HEAD', false);
    if (this.#bodyStarted) {
      for (const chunk of this.#replay!) conn.writeBody(chunk); // a retry: the whole body was kept
      conn.endBody();
    } else {
      this.#bodyStarted = true;
      if (head.expectContinue) this.conn.write(CONTINUE);
      this.conn.startBody(this);
    }
    conn.socket.uncork();
  }

  onUpstreamHead(head: ResponseHead, bodyless: boolean, chunked: boolean): void {
    if (this.#phase !== SENT) return;
    if (this.retriableStatus(head.status)) {
      this.#phase = DISCARD;
      return;
    }
    this.#phase = STREAMING;
    this.status = head.status;
    const req = this.head;
    let framing = bodyless ? BODY_NONE : chunked ? BODY_CHUNKED : BODY_LENGTH;
    if (framing === BODY_CHUNKED && req.version === 10) framing = BODY_UNTIL_CLOSE;
    this.#framing = framing;
    this.#close = !req.keepAlive || this.ctx.closing || framing === BODY_UNTIL_CLOSE;
    const keepAlive10 = req.version === 10 && !this.#close;
    this.#pendingHead = responseHead(head, this.backend!.plan, framing, this.#close, keepAlive10);
  }

  onUpstreamData(chunk: Buffer): void {
    // hot path
    if (this.#phase !== STREAMING) return;
    const chunked = this.#framing === BODY_CHUNKED;
    const pending = this.#pendingHead;
    let ok: boolean;
    let direct = false;
    if (chunk.length <= MERGE_MAX && (pending !== null || chunked)) {
      ok = writeMerged(this.conn.socket, pending ?? '', chunk, chunked); // a copy: head, framing and data in one write
    } else {
      ok =
        pending === null && !chunked
          ? this.conn.write(chunk)
          : writeCorked(this.conn.socket, pending ?? '', chunk, chunked);
      direct = true;
    }
    if (pending !== null) {
      this.#pendingHead = null;
      this.#headSent = true;
    }
    const up = this.#upstream;
    if (up === null) return;
    // A chunk written as is lives in the upstream connection's read buffer: a queued write keeps that memory.
    if (direct && this.conn.socket.writableLength !== 0) up.keep();
    if (!ok && !this.#upstreamPaused) {
      this.#upstreamPaused = true;
      up.pause();
    }
  }

  onUpstreamFlush(): void {
    const pending = this.#pendingHead;
    if (pending === null || this.#phase !== STREAMING) return;
    this.#pendingHead = null;
    this.#headSent = true;
    this.conn.write(pending);
  }

  onUpstreamEnd(): void {
    // hot path
    this.#upstream = null;
    if (this.#phase !== STREAMING) {
      if (this.#phase === DISCARD) this.#nextAttempt('ARCHWAY_ERR_UPSTREAM_RESET');
      return;
    }
    const tail = this.#framing === BODY_CHUNKED ? LAST_CHUNK : '';
    const pending = this.#pendingHead;
    if (pending !== null) {
      this.#pendingHead = null;
      this.conn.write(pending + tail);
    } else if (tail !== '') {
      this.conn.write(tail);
    }
    this.#headSent = true;
    this.#finish(this.#close);
  }

  onUpstreamError(code: ResponseErrorCode, retryable: boolean): void {
    this.#upstream = null;
    const phase = this.#phase;
    if (phase === DONE || phase === TUNNEL) return;
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
    this.#pendingHead = null;
    if (this.#headSent) this.#truncate(ERROR_STATUS[code]);
    else this.fail(code);
  }

  onUpstreamDrain(): void {
    if (this.#phase === TUNNEL) this.conn.resume();
    else this.conn.resumeBody();
  }

  onUpstreamUpgrade(head: ResponseHead, rest: Buffer): void {
    this.#phase = TUNNEL;
    this.status = 101;
    this.clearTimer();
    this.conn.write(upgradeHead(head));
    if (rest.length > 0) this.conn.write(rest);
    const early = this.conn.tunnel();
    if (early !== null) this.#upstream?.writeBody(early);
  }

  onTunnelData(chunk: Buffer): void {
    const ok = this.conn.write(chunk);
    if (this.conn.socket.writableLength !== 0) this.#upstream?.keep();
    if (!ok) this.#upstream?.pause();
  }

  onTunnelClose(): void {
    this.#upstream = null;
    this.conn.socket.end();
  }

  // --- client side (called by the ClientConnection) ---

  onBodyData(chunk: Buffer): boolean {
    // hot path
    this.#mirrors?.feed(chunk);
    if (this.#replay !== null) this.#replay.push(Buffer.from(chunk)); // a copy: the read buffer is reused
    const up = this.#upstream;
    if (up === null) return true;
    if (!this.head.chunked) return up.writeBody(chunk);
    up.writeBody(chunkHeader(chunk.length));
    up.writeBody(chunk);
    return up.writeBody(CRLF);
  }

  onBodyEnd(): void {
    this.#mirrors?.end();
    if (this.#replay !== null) this.bodyKept = true;
    const up = this.#upstream;
    if (up === null) return;
    if (this.head.chunked) up.writeBody(LAST_CHUNK);
    up.endBody();
  }

  /** The request body was malformed or cut short: it cannot be forwarded. */
  onBadBody(): void {
    this.#destroyMirrors();
    if (this.#phase >= TUNNEL) return;
    this.#abortUpstream();
    if (this.#headSent) this.#truncate(ERROR_STATUS.ARCHWAY_ERR_BAD_REQUEST);
    else this.fail('ARCHWAY_ERR_BAD_REQUEST');
  }

  /** The client took too long to send its request (requestTimeoutMs). */
  requestTimedOut(): void {
    this.#destroyMirrors();
    if (this.#phase >= TUNNEL) return;
    this.#abortUpstream();
    if (this.#headSent) {
      this.#truncate(ERROR_STATUS.ARCHWAY_ERR_REQUEST_TIMEOUT);
      return;
    }
    this.fail('ARCHWAY_ERR_REQUEST_TIMEOUT');
  }

  onClientDrain(): void {
    if (this.#phase === TUNNEL) {
      this.#upstream?.resume();
      return;
    }
    if (this.#upstreamPaused) {
      this.#upstreamPaused = false;
      this.#upstream?.resume();
    }
  }

  onClientTunnelData(chunk: Buffer): void {
    const up = this.#upstream;
    if (up !== null && !up.writeBody(chunk)) this.conn.pause();
  }

  onClientTunnelEnd(): void {
    this.#upstream?.socket.end();
  }

  /** The client connection closed before the response was complete (or, for a tunnel, at its end). */
  onClientClose(): void {
    const phase = this.#phase;
    if (phase === DONE) return;
    this.#phase = DONE;
    this.clearTimer();
    this.#destroyMirrors();
    if (phase === TUNNEL) {
      this.#upstream?.abort();
      this.#upstream = null;
      this.report(101);
      return;
    }
    this.#abortUpstreamOf(phase);
    this.report(ERROR_STATUS.ARCHWAY_ERR_CLIENT_CLOSED);
  }

  // --- internals ---

  /** A response the proxy makes itself; the connection closes after it when `close` (or the request asked). */
  #respond(status: number, fields: readonly string[], body: string, close: boolean): void {
    if (this.#phase >= TUNNEL || this.#headSent) return;
    this.#abortUpstream();
    this.status = status;
    const req = this.head;
    const closing = close || !req.keepAlive || this.ctx.closing;
    const keepAlive10 = req.version === 10 && !closing;
    this.conn.write(localResponse(status, fields, body, closing, keepAlive10, req.method === 'HEAD'));
    this.#headSent = true;
    this.#finish(closing);
  }

  /** The attempt is over and nothing reached the client: retry after the backoff, or answer for the last one. */
  #nextAttempt(code: ResponseErrorCode): void {
    this.#phase = WAITING;
    if (!this.scheduleRetry()) this.fail(this.lastAttemptCode(code));
  }

  #finish(close: boolean): void {
    this.#phase = DONE;
    this.clearTimer();
    this.#destroyMirrors();
    this.report(this.status);
    this.conn.finish(this, close);
  }

  /** The response started and cannot be completed: cut the client connection. */
  #truncate(status: number): void {
    this.#phase = DONE;
    this.status = status;
    this.clearTimer();
    this.#destroyMirrors();
    this.report(status);
    this.conn.abort();
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

function equalsWebsocket(value: string): boolean {
  return value.length === 9 && value.toLowerCase() === 'websocket';
}
