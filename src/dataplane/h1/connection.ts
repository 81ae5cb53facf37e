/**
 * One client connection of the raw engine. It reads request heads (parser.ts), hands each request to a RawExchange,
 * and feeds the request body (Content-Length or chunked, decoded strictly) to the exchange only once the exchange has
 * an upstream to send it to, pausing the socket while the upstream cannot take more. Requests are served one at a
 * time: bytes of a pipelined next request wait, unparsed, until the current response is complete, so responses
 * always leave in request order. After a response the connection is reused (keep-alive), or closed gracefully: FIN
 * first, reading and discarding until the client closes or a short linger ends, so the client sees the response
 * rather than a reset. A malformed head gets 400 (431 for size and count, 505 for the version) and the connection
 * closes; so does a client too slow to send its head (408) or its request (408). A connection whose first bytes are
 * the HTTP/2 client preface (h2c with prior knowledge) is handed, with those bytes, to the listener's HTTP/2 side.
 */

import type { Socket } from 'node:net';
import type { ListenerContext } from '../http/exchange.ts';
import { ChunkedDecoder, type ChunkSink } from './chunked.ts';
import { RawExchange } from './exchange.ts';
import { rejectResponse } from './heads.ts';
import { findHeadEnd, hasBareLF, parseRequestHead, RequestHead, skipEmptyLines } from './parser.ts';
import type { Sweeper } from './sweeper.ts';

const IDLE = 0;
const HEAD = 1;
const BODY = 2;
const WAIT = 3;
const TUNNEL = 4;
const CLOSING = 5;
const CLOSED = 6;

/** Unparsed bytes above which the socket is paused until the current request makes progress. */
const HIGH_WATER = 64 * 1024;
/** How long a closing connection keeps reading (and discarding) what the client still sends. */
const LINGER_MS = 2000;

/** What a connection needs from its listener's server. */
export interface ConnectionOwner {
  readonly ctx: ListenerContext;
  readonly sweeper: Sweeper;
  forget(conn: ClientConnection): void;
  /** Serves `socket` as HTTP/2 (its first bytes, the client preface, are back in its read buffer). */
  acceptH2(socket: Socket): void;
}

/** The start of the HTTP/2 client connection preface (RFC 9113 3.4): "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n". */
const H2_PREFACE = 'PRI * HTTP/2.0\r\n';

/** A connection's first bytes open with the HTTP/2 preface (prior knowledge, RFC 9113 3.3). */
function opensH2(chunk: Buffer): boolean {
  return chunk.length >= H2_PREFACE.length && chunk.toString('latin1', 0, H2_PREFACE.length) === H2_PREFACE;
}

export class ClientConnection implements ChunkSink {
  readonly socket: Socket;
  readonly owner: ConnectionOwner;
  readonly remoteAddress: string;
  current: RawExchange | null = null;
  #state = IDLE;
  #buf: Buffer | null = null;
  #off = 0;
  /** Bytes after #off already searched for the end of the head. */
  #scanned = 0;
  #since = 0;
  #requestStart = 0;
  #bodyLeft = 0;
  #decoder: ChunkedDecoder | null = null;
  #bodyFlowing = false;
  #bodyBlocked = false;
  #paused = false;
  #processing = false;
  #ended = false;
  /** No byte has arrived yet (the first ones may open HTTP/2 instead). */
  #fresh = true;
  /** Bytes of responses whose write had completed at the last sweep, and since when that figure has not moved. */
  #sent = 0;
  #sentSince = 0;

  constructor(socket: Socket, owner: ConnectionOwner) {
    this.socket = socket;
    this.owner = owner;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.#since = owner.sweeper.now;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => this.current?.onClientDrain());
    socket.on('end', () => this.#onEnd());
    socket.on('error', () => undefined);
    socket.on('close', () => this.#onClose());
  }

  /** Writes response bytes; false when the socket buffers (the exchange then pauses its upstream). */
  write(data: Buffer | string): boolean {
    return typeof data === 'string' ? this.socket.write(data, 'latin1') : this.socket.write(data);
  }

  /** The exchange has an upstream: deliver the request body (or its end, when there is none). */
  startBody(ex: RawExchange): void {
    if (ex !== this.current) return;
    if (this.#state !== BODY) {
      ex.onBodyEnd();
      return;
    }
    this.#bodyFlowing = true;
    this.#process();
  }

  /** The upstream took what it was given: deliver more body. */
  resumeBody(): void {
    if (!this.#bodyBlocked) return;
    this.#bodyBlocked = false;
    this.#process();
  }

  /** The response to `ex` is complete; `close`: the connection must not carry another request. */
  finish(ex: RawExchange, close: boolean): void {
    if (ex !== this.current) return;
    this.current = null;
    if (close || this.#state !== WAIT || this.#ended || this.owner.ctx.closing) {
      this.#closeGracefully();
      return;
    }
    this.#state = IDLE;
    this.#since = this.owner.sweeper.now;
    if (!this.#processing) this.#process();
  }

  /** The response cannot be completed: cut the connection (the client sees a truncated message). */
  abort(): void {
    this.socket.destroy();
  }

  /** Switches to a byte tunnel (after 101); returns the bytes the client sent after the request head. */
  tunnel(): Buffer | null {
    this.#state = TUNNEL;
    const rest = this.#buf === null || this.#off >= this.#buf.length ? null : this.#buf.subarray(this.#off);
    this.#buf = null;
    if (this.#paused) {
      this.#paused = false;
      this.socket.resume();
    }
    return rest;
  }

  /** Tunnel backpressure. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Graceful close at once if idle (listener close); false when a request is in progress. */
  closeIfIdle(): boolean {
    if (this.#state !== IDLE) return false;
    this.#closeGracefully();
    return true;
  }

  /** Applies the listener's timeouts at `now`. */
  sweep(now: number): void {
    const limits = this.owner.ctx.limits;
    if (this.#stalled(now, limits.sendTimeoutMs)) {
      this.socket.destroy(); // the exchange hears 'close': it aborts its upstream and reports 499
      return;
    }
    switch (this.#state) {
      case IDLE:
        if (now - this.#since > limits.keepAliveTimeoutMs) this.socket.destroy();
        return;
      case HEAD:
        if (now - this.#since > limits.headersTimeoutMs || now - this.#since > limits.requestTimeoutMs) {
          this.#reject(408);
        }
        return;
      case BODY:
        if (now - this.#requestStart > limits.requestTimeoutMs) this.current?.requestTimedOut();
        return;
      case CLOSING:
        if (now - this.#since > LINGER_MS) this.socket.destroy();
        return;
      default:
    }
  }

  /**
   * Whether the client has taken nothing of what was written to it for `timeoutMs`: bytes are waiting in the write
   * buffer and no write has completed since then.
   */
  #stalled(now: number, timeoutMs: number): boolean {
    const socket = this.socket;
    const waiting = socket.writableLength;
    if (waiting === 0) {
      this.#sentSince = 0;
      return false;
    }
    const sent = socket.bytesWritten - waiting;
    if (this.#sentSince === 0 || sent !== this.#sent) {
      this.#sent = sent;
      this.#sentSince = now;
      return false;
    }
    return now - this.#sentSince > timeoutMs;
  }

  onChunkData(buf: Buffer, start: number, end: number): boolean {
    const ok = this.current!.onBodyData(buf.subarray(start, end));
    if (!ok) this.#bodyBlocked = true;
    return ok;
  }

  #onData(chunk: Buffer): void {
    // hot path
    const state = this.#state;
    if (state === TUNNEL) {
      this.current?.onClientTunnelData(chunk);
      return;
    }
    if (state >= CLOSING) return; // lingering: read and forget
    if (this.#fresh) {
      this.#fresh = false;
      if (opensH2(chunk)) {
        this.#handOverH2(chunk);
        return;
      }
    }
    if (state === IDLE) {
      this.#state = HEAD;
      this.#since = this.owner.sweeper.now;
      this.#requestStart = this.#since;
    }
    if (this.#buf === null) {
      this.#buf = chunk;
      this.#off = 0;
    } else {
      this.#buf = Buffer.concat([this.#buf.subarray(this.#off), chunk]);
      this.#off = 0;
    }
    this.#process();
  }

  /** The client speaks HTTP/2 with prior knowledge (h2c): the connection becomes an h2 session. */
  #handOverH2(first: Buffer): void {
    const socket = this.socket;
    for (const event of ['data', 'drain', 'end', 'close'] as const) socket.removeAllListeners(event);
    this.#state = CLOSED;
    this.owner.forget(this);
    socket.pause();
    socket.unshift(first); // node:http2 feeds what is buffered to the new session
    this.owner.acceptH2(socket);
  }

  #process(): void {
    // hot path
    if (this.#processing) return;
    this.#processing = true;
    try {
      while (this.#buf !== null && this.#step()) {}
    } finally {
      this.#processing = false;
    }
    if (this.#state === BODY && this.#ended && this.#buf === null) this.#truncatedBody();
    else this.#flow();
  }

  /** The client ended its side before the whole body arrived. */
  #truncatedBody(): void {
    this.#state = WAIT;
    this.current?.onBadBody();
  }

  /** One step of input processing; false when nothing more can be done now. */
  #step(): boolean {
    switch (this.#state) {
      case IDLE:
      case HEAD:
        return this.#readHead();
      case BODY:
        return this.#bodyFlowing && !this.#bodyBlocked && this.#readBody();
      default:
        return false;
    }
  }

  /** Pauses reading while unparsed bytes pile up or the upstream is full; resumes when that is over. */
  #flow(): void {
    const buffered = this.#buf === null ? 0 : this.#buf.length - this.#off;
    const stop = this.#bodyBlocked || buffered > HIGH_WATER;
    if (stop && !this.#paused && this.#state < TUNNEL) {
      this.#paused = true;
      this.socket.pause();
    } else if (!stop && this.#paused) {
      this.#paused = false;
      this.socket.resume();
    }
  }

  #consumed(off: number): void {
    if (off >= this.#buf!.length) this.#buf = null;
    else this.#off = off;
  }

  #readHead(): boolean {
    // hot path
    const buf = this.#buf!;
    const end = buf.length;
    const off = skipEmptyLines(buf, this.#off, end);
    const limits = this.owner.ctx.limits;
    if (off === end || (off + 1 === end && buf[off] === 13)) {
      if (off === end) this.#buf = null;
      else this.#off = off;
      return false;
    }
    const headEnd = findHeadEnd(buf, off + Math.max(0, this.#scanned - 3), end);
    if (headEnd < 0) {
      const from = off + this.#scanned;
      this.#off = off;
      this.#scanned = end - off;
      if (end - off > limits.maxHeaderBytes) this.#reject(431);
      else if (hasBareLF(buf, from, end)) this.#reject(400);
      return false;
    }
    this.#scanned = 0;
    if (headEnd - off > limits.maxHeaderBytes) {
      this.#reject(431);
      return false;
    }
    const head = new RequestHead();
    const status = parseRequestHead(buf.toString('latin1', off, headEnd), limits.maxHeaderCount, head);
    if (status !== 0) {
      this.#reject(status);
      return false;
    }
    this.#consumed(headEnd);
    this.#begin(head);
    return true;
  }

  #begin(head: RequestHead): void {
    const hasBody = head.chunked || head.contentLength > 0;
    this.#state = hasBody ? BODY : WAIT;
    this.#bodyFlowing = false;
    this.#bodyBlocked = false;
    this.#bodyLeft = Math.max(0, head.contentLength);
    this.#decoder = head.chunked ? new ChunkedDecoder(this.owner.ctx.limits.maxHeaderBytes) : null;
    const ex = new RawExchange(this.owner.ctx, this, head);
    this.current = ex;
    ex.start();
  }

  #readBody(): boolean {
    const buf = this.#buf!;
    const ex = this.current!;
    const decoder = this.#decoder;
    if (decoder !== null) {
      const off = decoder.decode(buf, this.#off, buf.length, this);
      this.#consumed(off);
      if (decoder.failed) {
        this.#state = WAIT;
        ex.onBadBody();
        return false;
      }
      if (decoder.done) this.#bodyDone(ex);
      return !this.#bodyBlocked;
    }
    const off = this.#off;
    const n = Math.min(this.#bodyLeft, buf.length - off);
    this.#bodyLeft -= n;
    this.#consumed(off + n);
    if (!ex.onBodyData(off === 0 && n === buf.length ? buf : buf.subarray(off, off + n))) this.#bodyBlocked = true;
    if (this.#bodyLeft === 0) this.#bodyDone(ex);
    return !this.#bodyBlocked;
  }

  #bodyDone(ex: RawExchange): void {
    this.#state = WAIT;
    this.#decoder = null;
    ex.onBodyEnd();
  }

  /** Answers a request that cannot be served (malformed, too large, too slow) and closes. */
  #reject(status: number): void {
    this.socket.write(rejectResponse(status), 'latin1');
    this.#closeGracefully();
  }

  #closeGracefully(): void {
    if (this.#state >= CLOSING) return;
    this.#state = CLOSING;
    this.#since = this.owner.sweeper.now;
    this.#buf = null;
    this.current = null;
    this.socket.end();
    if (this.#paused) {
      this.#paused = false;
      this.socket.resume();
    }
    if (this.#ended) this.socket.destroySoon();
  }

  #onEnd(): void {
    this.#ended = true;
    switch (this.#state) {
      case BODY:
        if (this.#buf === null) this.#truncatedBody();
        return;
      case WAIT:
        return; // the response finishes, then the connection closes
      case TUNNEL:
        this.current?.onClientTunnelEnd();
        return;
      case CLOSING:
        this.socket.destroySoon();
        return;
      default:
        this.#closeGracefully();
    }
  }

  #onClose(): void {
    this.#state = CLOSED;
    this.#buf = null;
    this.owner.forget(this);
    const ex = this.current;
    this.current = null;
    ex?.onClientClose();
  }
}
