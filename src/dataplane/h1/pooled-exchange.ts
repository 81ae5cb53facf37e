/**
 * The upstream side of a request forwarded as HTTP/1.1 over an H1Pool connection, shared by the raw engine's HTTP/1.1
 * (exchange.ts) and HTTP/2 (h2/exchange.ts) requests; it is the connection's handler. It owns the phase machine
 * (WAITING for a connection, SENT, DISCARD, STREAMING the response, h1's TUNNEL, DONE), the attempt: the request head
 * (one string), the request body forwarded as it arrives (chunk-framed when its length is unknown) to the upstream,
 * to the mirrors and, on a route with a retry policy, into a copy to be sent again (Content-Length up to
 * RETRY_BODY_BYTES), and the ways an attempt ends: a retriable response is read to its end and dropped (DISCARD) so
 * its connection can be reused, then the next attempt starts after the backoff; a reused connection that fails
 * before answering a request without a body is retried once on a new one; otherwise the client is answered, or its
 * response cut when it had started. The client side (how the response is written, made locally or cut, and where the
 * request body comes from) is the engine's, through the protected hooks.
 */

import { ERROR_STATUS, type ResponseErrorCode } from '../errors.ts';
import { Exchange, type ListenerContext, RETRY_BODY_BYTES } from '../http/exchange.ts';
import type { MirrorPlan } from '../http/table.ts';
import type { Endpoint } from '../upstream/pools.ts';
import { requestHead } from './heads.ts';
import { type MirrorBodies, startMirrors } from './mirrors.ts';
import type { ResponseHead } from './parser.ts';
import type { H1Pool } from './pool.ts';
import type { UpstreamConnection, UpstreamHandler } from './upstream.ts';
import { CRLF, chunkHeader, LAST_CHUNK } from './writes.ts';

export const WAITING = 0;
export const SENT = 1;
/** A retriable response is being read and dropped; the next attempt follows. */
export const DISCARD = 2;
export const STREAMING = 3;
/** h1 only: after 101 Switching Protocols bytes flow both ways untouched. */
export const TUNNEL = 4;
export const DONE = 5;

export abstract class PooledExchange extends Exchange implements UpstreamHandler {
  /** The client's Content-Length, or -1. */
  readonly contentLength: number;
  protected phase = WAITING;
  protected upstream: UpstreamConnection | null = null;
  /** The request body goes upstream chunk-framed (its length is unknown). */
  protected chunked = false;
  /** The Upgrade token forwarded (an h1 WebSocket request); '' otherwise. */
  protected upgrade = '';
  /** The response head has reached the client (a failure then cuts the response). */
  protected headSent = false;
  /** The upstream connection is paused until the client side drains. */
  protected upstreamPaused = false;
  #pool: H1Pool | null = null;
  #target = '';
  /** Host for requests that sent none: the endpoint ("addr:port", IPv6 in brackets). */
  #endpointKey = '';
  #retried = false;
  #mirrors: MirrorBodies | null = null;
  /** Copy of the request body for retries (routes with a retry policy, small bodies). */
  #replay: Buffer[] | null = null;
  #bodyStarted = false;

  constructor(
    ctx: ListenerContext,
    method: string,
    url: string,
    rawHeaders: readonly string[],
    remoteAddress: string,
    contentLength: number,
  ) {
    super(ctx, method, url, rawHeaders, remoteAddress, ctx.observer === null ? 0 : performance.now());
    this.contentLength = contentLength;
  }

  // --- client side (the engine's) ---

  /** Fixes how the request goes upstream (body framing, h1's Upgrade) now that routing has read its headers. */
  protected abstract prepareRequest(): void;

  /** The first attempt's request head is written: deliver the request body with forwardBody()/forwardBodyEnd(). */
  protected abstract startBody(): void;

  /** The response head (phase STREAMING, status set): start the client's response. */
  protected abstract startResponse(head: ResponseHead, bodyless: boolean, chunked: boolean): void;

  /** The response ended upstream (`up` is the connection, back in its pool, or null): complete the client's. */
  protected abstract endResponse(up: UpstreamConnection | null): void;

  /** The response body, the upstream's write buffer draining and h1's upgrade: the engine's (UpstreamHandler). */
  abstract onUpstreamData(chunk: Buffer): void;
  abstract onUpstreamFlush(): void;
  abstract onUpstreamDrain(): void;
  abstract onUpstreamUpgrade(head: ResponseHead, rest: Buffer): void;
  abstract onTunnelData(chunk: Buffer): void;
  abstract onTunnelClose(): void;

  /** After truncate()'s bookkeeping: cut the client's response so that it cannot pass for a whole one. */
  protected abstract cut(): void;

  /** After onClientClose()'s bookkeeping: the engine's own (nothing by default). */
  protected clientGone(): void {}

  // --- the attempt ---

  dispatch(endpoint: Endpoint, target: string, mirrors: readonly MirrorPlan[] | null): void {
    this.#target = target;
    this.#endpointKey = endpoint.key;
    this.prepareRequest();
    if (mirrors !== null) {
      const copy = { path: target, method: this.method, headers: this.headers };
      this.#mirrors = startMirrors(mirrors, copy, this.hasBody, this.ctx.limits.mirrorBodyBytes);
    } else if (this.hasBody && this.#pool === null && this.route!.retry !== null) {
      if (!this.chunked && this.contentLength <= RETRY_BODY_BYTES) this.#replay = [];
    }
    this.#pool = endpoint.h1();
    this.#pool.acquire(this, false);
  }

  protected attemptTimeout(): void {
    if (this.phase >= STREAMING) {
      this.timeout();
      return;
    }
    this.abortUpstream();
    this.phase = WAITING;
    if (!this.scheduleRetry()) this.fail('ARCHWAY_ERR_ROUTE_TIMEOUT');
  }

  protected timeout(): void {
    if (this.phase >= TUNNEL) return;
    this.abortUpstream();
    this.#failOrCut('ARCHWAY_ERR_ROUTE_TIMEOUT');
  }

  /** The client took too long to send its request (requestTimeoutMs). */
  requestTimedOut(): void {
    this.abandon('ARCHWAY_ERR_REQUEST_TIMEOUT');
  }

  // --- upstream side (UpstreamHandler) ---

  onUpstreamConnection(conn: UpstreamConnection): void {
    if (this.phase !== WAITING) {
      conn.pool.release(conn);
      return;
    }
    this.phase = SENT;
    this.upstream = conn;
    const isHead = this.method === 'HEAD';
    const upgrade = this.upgrade;
    const length = this.contentLength;
    const text = requestHead(this.method, this.#target, this.headers, this.#endpointKey, length, this.chunked, upgrade);
    if (!this.hasBody) {
      conn.send(this, text, false, isHead, upgrade !== '');
      return;
    }
    conn.socket.cork();
    conn.send(this, text, true, isHead, false);
    if (this.#bodyStarted) {
      for (const chunk of this.#replay!) conn.writeBody(chunk); // a retry: the whole body was kept
      conn.endBody();
    } else {
      this.#bodyStarted = true;
      this.startBody();
    }
    conn.socket.uncork();
  }

  onUpstreamHead(head: ResponseHead, bodyless: boolean, chunked: boolean): void {
    if (this.phase !== SENT) return;
    if (this.retriableStatus(head.status)) {
      this.phase = DISCARD;
      return;
    }
    this.phase = STREAMING;
    this.status = head.status;
    this.startResponse(head, bodyless, chunked);
  }

  onUpstreamEnd(): void {
    // hot path
    const up = this.upstream;
    this.upstream = null;
    const phase = this.phase;
    if (phase === STREAMING) this.endResponse(up);
    else if (phase === DISCARD) this.#nextAttempt('ARCHWAY_ERR_UPSTREAM_RESET');
  }

  onUpstreamError(code: ResponseErrorCode, retryable: boolean): void {
    this.upstream = null;
    const phase = this.phase;
    if (phase >= TUNNEL) return;
    if (phase <= DISCARD && this.route!.retry !== null) {
      this.#nextAttempt(code);
      return;
    }
    if (retryable && !this.#retried && !this.hasBody && phase === SENT) {
      this.#retried = true;
      this.phase = WAITING;
      this.#pool!.acquire(this, true);
      return;
    }
    this.#failOrCut(code);
  }

  // --- the request body, wherever it comes from ---

  /**
   * Feeds a request body chunk to the mirrors, the retry copy (a copy of its own when `copy`: the chunk's memory is
   * reused) and the upstream; false when the upstream connection's buffer is full.
   */
  protected forwardBody(chunk: Buffer, copy: boolean): boolean {
    // hot path
    this.#mirrors?.feed(chunk);
    const replay = this.#replay;
    if (replay !== null) replay.push(copy ? Buffer.from(chunk) : chunk);
    const up = this.upstream;
    if (up === null) return true;
    if (!this.chunked) return up.writeBody(chunk);
    up.writeBody(chunkHeader(chunk.length));
    up.writeBody(chunk);
    return up.writeBody(CRLF);
  }

  /** The request body arrived whole. */
  protected forwardBodyEnd(): void {
    this.#mirrors?.end();
    if (this.#replay !== null) this.bodyKept = true;
    const up = this.upstream;
    if (up === null) return;
    if (this.chunked) up.writeBody(LAST_CHUNK);
    up.endBody();
  }

  // --- the client side's events ---

  onClientDrain(): void {
    if (this.phase === TUNNEL) {
      this.upstream?.resume();
      return;
    }
    if (this.upstreamPaused) {
      this.upstreamPaused = false;
      this.upstream?.resume();
    }
  }

  /** The client left (connection closed, stream reset) before the response was complete (or, for a tunnel, at its end). */
  onClientClose(): void {
    const phase = this.phase;
    if (phase === DONE) return;
    this.phase = DONE;
    this.clearTimer();
    this.#destroyMirrors();
    this.#abortUpstreamOf(phase);
    this.report(phase === TUNNEL ? 101 : ERROR_STATUS.ARCHWAY_ERR_CLIENT_CLOSED); // a tunnel ends with its client
    this.clientGone();
  }

  // --- endings ---

  /** The request cannot go on (a bad or late body): drop the mirrors and the upstream, then answer or cut. */
  protected abandon(code: ResponseErrorCode): void {
    this.#destroyMirrors();
    if (this.phase >= TUNNEL) return;
    this.abortUpstream();
    this.#failOrCut(code);
  }

  /** The response is complete (DONE): timers and mirrors go, the observer hears of it. */
  protected complete(): void {
    this.phase = DONE;
    this.clearTimer();
    this.#destroyMirrors();
    this.report(this.status);
  }

  /** The response started (or cannot start) and cannot be completed: it ends with `status`, cut. */
  protected truncate(status: number): void {
    this.status = status;
    this.complete();
    this.cut();
  }

  #failOrCut(code: ResponseErrorCode): void {
    if (this.headSent) this.truncate(ERROR_STATUS[code]);
    else this.fail(code);
  }

  /** The attempt is over and nothing reached the client: retry after the backoff, or answer for the last one. */
  #nextAttempt(code: ResponseErrorCode): void {
    this.phase = WAITING;
    if (!this.scheduleRetry()) this.fail(this.lastAttemptCode(code));
  }

  protected abortUpstream(): void {
    this.#abortUpstreamOf(this.phase);
  }

  #abortUpstreamOf(phase: number): void {
    const up = this.upstream;
    this.upstream = null;
    if (up !== null) up.abort();
    else if (phase === WAITING && this.#pool !== null) this.#pool.cancel(this);
  }

  #destroyMirrors(): void {
    this.#mirrors?.destroy();
    this.#mirrors = null;
  }
}
