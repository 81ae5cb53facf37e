/**
 * The raw engine's request: a parsed RequestHead on a ClientConnection, forwarded over an H1Pool connection (the
 * upstream side, retries and mirrors included, is PooledExchange's: pooled-exchange.ts). It owns the client side: the
 * request body read from the connection (a 100 Continue first when asked), the response re-framed for the client
 * (Content-Length kept, otherwise chunked for HTTP/1.1 clients and close-delimited for HTTP/1.0 ones), a small
 * response's head and body written in one write, backpressure from the client socket to the upstream one, local
 * responses, a response cut by closing the connection, and WebSocket upgrades (101, then a tunnel both ways).
 */

import { ERROR_STATUS, type ResponseErrorCode } from '../errors.ts';
import type { ListenerContext } from '../http/exchange.ts';
import { handleExchange } from '../http/handler.ts';
import { statusBody, TEXT_PLAIN } from '../http/respond.ts';
import type { ClientConnection } from './connection.ts';
import {
  BODY_CHUNKED,
  BODY_LENGTH,
  BODY_NONE,
  BODY_UNTIL_CLOSE,
  localResponse,
  responseHead,
  upgradeHead,
} from './heads.ts';
import type { RequestHead, ResponseHead } from './parser.ts';
import { PooledExchange, STREAMING, TUNNEL } from './pooled-exchange.ts';
import { LAST_CHUNK, MERGE_MAX, writeCorked, writeMerged } from './writes.ts';

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

export class RawExchange extends PooledExchange {
  readonly conn: ClientConnection;
  readonly head: RequestHead;
  /** Response head built but not written yet (it leaves with the first body bytes). */
  #pendingHead: string | null = null;
  #framing = BODY_NONE;
  #close = false;

  constructor(ctx: ListenerContext, conn: ClientConnection, head: RequestHead) {
    super(ctx, head.method, head.target, head.headers, conn.remoteAddress, head.contentLength);
    this.conn = conn;
    this.head = head;
    this.chunked = head.chunked;
  }

  /** Routes and forwards (or answers) the request. */
  start(): void {
    handleExchange(this);
  }

  fail(code: ResponseErrorCode): void {
    const status = ERROR_STATUS[code];
    this.#respond(status, TEXT_PLAIN, statusBody(status), status === 400 || status === 431);
  }

  redirect(status: number, headers: string[]): void {
    this.#respond(status, headers, '', false);
  }

  protected prepareRequest(): void {
    const head = this.head;
    if (head.upgradeToken && !this.hasBody && equalsWebsocket(head.upgrade)) this.upgrade = head.upgrade;
  }

  protected startBody(): void {
    if (this.head.expectContinue) this.conn.write(CONTINUE);
    this.conn.startBody(this);
  }

  // --- upstream side (UpstreamHandler) ---

  protected startResponse(head: ResponseHead, bodyless: boolean, chunked: boolean): void {
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
    if (this.phase !== STREAMING) return;
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
      this.headSent = true;
    }
    const up = this.upstream;
    if (up === null) return;
    // A chunk written as is lives in the upstream connection's read buffer: a queued write keeps that memory.
    if (direct && this.conn.socket.writableLength !== 0) up.keep();
    if (!ok && !this.upstreamPaused) {
      this.upstreamPaused = true;
      up.pause();
    }
  }

  onUpstreamFlush(): void {
    const pending = this.#pendingHead;
    if (pending === null || this.phase !== STREAMING) return;
    this.#pendingHead = null;
    this.headSent = true;
    this.conn.write(pending);
  }

  protected endResponse(): void {
    // hot path
    const tail = this.#framing === BODY_CHUNKED ? LAST_CHUNK : '';
    const pending = this.#pendingHead;
    if (pending !== null) {
      this.#pendingHead = null;
      this.conn.write(pending + tail);
    } else if (tail !== '') {
      this.conn.write(tail);
    }
    this.headSent = true;
    this.#finish(this.#close);
  }

  override onUpstreamError(code: ResponseErrorCode, retryable: boolean): void {
    this.#pendingHead = null; // a head not written yet never will be: the request is retried, answered or cut
    super.onUpstreamError(code, retryable);
  }

  onUpstreamDrain(): void {
    if (this.phase === TUNNEL) this.conn.resume();
    else this.conn.resumeBody();
  }

  onUpstreamUpgrade(head: ResponseHead, rest: Buffer): void {
    this.phase = TUNNEL;
    this.status = 101;
    this.clearTimer();
    this.conn.write(upgradeHead(head));
    if (rest.length > 0) this.conn.write(rest);
    const early = this.conn.tunnel();
    if (early !== null) this.upstream?.writeBody(early);
  }

  onTunnelData(chunk: Buffer): void {
    const ok = this.conn.write(chunk);
    if (this.conn.socket.writableLength !== 0) this.upstream?.keep();
    if (!ok) this.upstream?.pause();
  }

  onTunnelClose(): void {
    this.upstream = null;
    this.conn.socket.end();
  }

  // --- client side (called by the ClientConnection) ---

  onBodyData(chunk: Buffer): boolean {
    // hot path
    return this.forwardBody(chunk, true); // copied when kept: the read buffer is reused
  }

  onBodyEnd(): void {
    this.forwardBodyEnd();
  }

  /** The request body was malformed or cut short: it cannot be forwarded. */
  onBadBody(): void {
    this.abandon('ARCHWAY_ERR_BAD_REQUEST');
  }

  onClientTunnelData(chunk: Buffer): void {
    const up = this.upstream;
    if (up !== null && !up.writeBody(chunk)) this.conn.pause();
  }

  onClientTunnelEnd(): void {
    this.upstream?.socket.end();
  }

  // --- internals ---

  /** A response the proxy makes itself; the connection closes after it when `close` (or the request asked). */
  #respond(status: number, fields: readonly string[], body: string, close: boolean): void {
    if (this.phase >= TUNNEL || this.headSent) return;
    this.abortUpstream();
    this.status = status;
    const req = this.head;
    const closing = close || !req.keepAlive || this.ctx.closing;
    const keepAlive10 = req.version === 10 && !closing;
    this.conn.write(localResponse(status, fields, body, closing, keepAlive10, req.method === 'HEAD'));
    this.headSent = true;
    this.#finish(closing);
  }

  #finish(close: boolean): void {
    this.complete();
    this.conn.finish(this, close);
  }

  /** The response started and cannot be completed: cut the client connection. */
  protected cut(): void {
    this.conn.abort();
  }
}

function equalsWebsocket(value: string): boolean {
  return value.length === 9 && value.toLowerCase() === 'websocket';
}
