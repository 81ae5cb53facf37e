/**
 * One HTTP/1.1 connection to an upstream endpoint, owned by its H1Pool. It writes one request at a time (the head as
 * one Latin-1 string, the body as the exchange hands it over) and reads the response strictly: the head with
 * parser.ts, then the body by Content-Length, chunked coding or until close; HEAD requests and 1xx/204/304 responses
 * have no body, other 1xx responses are skipped, 101 turns the connection into a tunnel (WebSocket). When a response
 * completes on a connection that may carry another (keep-alive, whole request written, nothing extra received), the
 * connection goes back to its pool; otherwise it is destroyed. A reused connection that fails before any byte of the
 * response is reported as retryable: the server probably closed it while it sat idle.
 */

import net, { type Socket } from 'node:net';
import type { ResponseErrorCode } from '../errors.ts';
import { ChunkedDecoder, type ChunkSink } from './chunked.ts';
import { findHeadEnd, parseResponseHead, ResponseHead } from './parser.ts';
import type { H1Pool } from './pool.ts';

/** The request side of a connection: the raw engine's exchange. */
export interface UpstreamHandler {
  /** A connection is ready for this request: write it with `conn.send()`. */
  onUpstreamConnection(conn: UpstreamConnection): void;
  /** The response head; `bodyless` when no body follows (HEAD, 204, 304) and `chunked` when its length is unknown. */
  onUpstreamHead(head: ResponseHead, bodyless: boolean, chunked: boolean): void;
  onUpstreamData(chunk: Buffer): void;
  /** Called after the data of one network read has been delivered (lets the exchange batch its writes). */
  onUpstreamFlush(): void;
  onUpstreamEnd(): void;
  onUpstreamError(code: ResponseErrorCode, retryable: boolean): void;
  /** The connection's write buffer drained: request body may flow again. */
  onUpstreamDrain(): void;
  /** 101 Switching Protocols: from now on bytes flow both ways untouched; `rest` arrived after the head. */
  onUpstreamUpgrade(head: ResponseHead, rest: Buffer): void;
  onTunnelData(chunk: Buffer): void;
  onTunnelClose(): void;
}

const CONNECTING = 0;
const IDLE = 1;
const HEAD = 2;
const LENGTH = 3;
const CHUNKED = 4;
const UNTIL_CLOSE = 5;
const TUNNEL = 6;
const DEAD = 7;

/**
 * A connection reads into its own buffer, reused from read to read. It starts small; a read that fills it means the
 * responses here are larger, so the next buffer is four times the size, up to READ_BUFFER_MAX: then a response head
 * and a body of tens of KiB arrive in one read and leave in one write.
 */
const READ_BUFFER = 16 * 1024;
const READ_BUFFER_MAX = 64 * 1024;

export class UpstreamConnection implements ChunkSink {
  readonly socket: Socket;
  readonly pool: H1Pool;
  handler: UpstreamHandler | null = null;
  /** The handler a connection being opened is meant for (null when it gave up waiting). */
  reserved: UpstreamHandler | null = null;
  /** Coarse time of the last event (for the pool's timeouts). */
  stamp: number;
  #served = 0;
  #state = CONNECTING;
  #pending: Buffer | null = null;
  #remaining = 0;
  #decoder: ChunkedDecoder | null = null;
  #isHead = false;
  #upgrade = false;
  #requestDone = false;
  #keepAlive = true;
  #gotBytes = false;
  #readBuffer = Buffer.allocUnsafe(READ_BUFFER);
  #nextSize = READ_BUFFER;
  /** The read buffer is still referenced (a queued write) or was filled by the last read: take a new one. */
  #renew = false;

  constructor(pool: H1Pool, reserved: UpstreamHandler) {
    this.pool = pool;
    this.reserved = reserved;
    this.stamp = pool.sweeper.now;
    const socket = net.connect({
      host: pool.host,
      port: pool.port,
      noDelay: true,
      onread: { buffer: () => this.#nextReadBuffer(), callback: (n: number) => this.#onRead(n) },
    });
    this.socket = socket;
    socket.on('connect', () => this.#onConnect());
    socket.on('drain', () => this.handler?.onUpstreamDrain());
    socket.on('error', () => undefined);
    socket.on('close', () => this.#onClose());
  }

  /**
   * Writes a request head (one Latin-1 string). `bodyFollows`: the caller then writes the body and calls endBody();
   * `isHead`: the response has no body; `upgrade`: a 101 answer opens a tunnel.
   */
  send(handler: UpstreamHandler, head: string, bodyFollows: boolean, isHead: boolean, upgrade: boolean): void {
    this.handler = handler;
    this.#state = HEAD;
    this.#isHead = isHead;
    this.#upgrade = upgrade;
    this.#requestDone = !bodyFollows;
    this.#gotBytes = false;
    this.stamp = this.pool.sweeper.now;
    this.socket.write(head, 'latin1');
  }

  writeBody(chunk: Buffer | string): boolean {
    return typeof chunk === 'string' ? this.socket.write(chunk, 'latin1') : this.socket.write(chunk);
  }

  endBody(): void {
    this.#requestDone = true;
  }

  /** A chunk this connection delivered is still referenced (a queued write): do not read into its memory again. */
  keep(): void {
    this.#renew = true;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** The exchange gives up on this request (client gone, timeout): the connection cannot be reused. */
  abort(): void {
    this.handler = null;
    this.#kill();
  }

  /** Closes an idle connection (keep-alive timeout, pool closing). */
  discard(): void {
    if (this.#state === IDLE || this.#state === CONNECTING) this.#kill();
  }

  /** Applies the pool's timeouts at `now`. */
  sweep(now: number): void {
    const l = this.pool.limits;
    const age = now - this.stamp;
    switch (this.#state) {
      case CONNECTING:
        if (age > l.upstreamConnectTimeoutMs) this.#kill();
        return;
      case IDLE:
        if (age > l.upstreamKeepAliveTimeoutMs) this.#kill();
        return;
      case HEAD:
        if (age > l.upstreamHeadersTimeoutMs) this.#fail('ARCHWAY_ERR_UPSTREAM_TIMEOUT', false);
        return;
      case LENGTH:
      case CHUNKED:
      case UNTIL_CLOSE:
        if (age > l.upstreamBodyTimeoutMs) this.#fail('ARCHWAY_ERR_UPSTREAM_TIMEOUT', false);
        return;
      default:
    }
  }

  #onConnect(): void {
    this.#state = IDLE;
    this.stamp = this.pool.sweeper.now;
    this.pool.connected(this);
  }

  #nextReadBuffer(): Buffer {
    if (this.#renew) {
      this.#renew = false;
      this.#readBuffer = Buffer.allocUnsafe(this.#nextSize);
    }
    return this.#readBuffer;
  }

  #onRead(n: number): boolean {
    // hot path
    if (n === this.#readBuffer.length && n < READ_BUFFER_MAX) {
      this.#nextSize = Math.min(n * 4, READ_BUFFER_MAX);
      this.#renew = true;
    }
    this.stamp = this.pool.sweeper.now;
    const state = this.#state;
    if (state === TUNNEL) {
      this.handler?.onTunnelData(this.#readBuffer.subarray(0, n));
      return true;
    }
    if (state < HEAD || state === DEAD) {
      this.#kill(); // bytes nobody asked for
      return false;
    }
    this.#gotBytes = true;
    let buf = this.#readBuffer;
    let end = n;
    if (this.#pending !== null) {
      buf = Buffer.concat([this.#pending, buf.subarray(0, n)]);
      end = buf.length;
      this.#pending = null;
    }
    this.#consume(buf, 0, end);
    this.handler?.onUpstreamFlush();
    return true;
  }

  #consume(buf: Buffer, off: number, end: number): void {
    // hot path
    while (off < end && this.handler !== null) {
      switch (this.#state) {
        case HEAD:
          off = this.#readHead(buf, off, end);
          if (off < 0) return;
          break;
        case LENGTH: {
          const n = Math.min(this.#remaining, end - off);
          this.#remaining -= n;
          this.handler.onUpstreamData(buf.subarray(off, off + n));
          off += n;
          if (this.#remaining === 0) this.#complete(off < end);
          break;
        }
        case CHUNKED:
          off = this.#decoder!.decode(buf, off, end, this);
          if (this.#decoder!.failed) this.#fail('ARCHWAY_ERR_UPSTREAM_RESET', false);
          else if (this.#decoder!.done) this.#complete(off < end);
          break;
        case UNTIL_CLOSE:
          this.handler.onUpstreamData(buf.subarray(off, end));
          off = end;
          break;
        default:
          this.#kill();
          return;
      }
    }
  }

  onChunkData(buf: Buffer, start: number, end: number): boolean {
    this.handler?.onUpstreamData(buf.subarray(start, end));
    return this.handler !== null;
  }

  /** Reads a response head at `off`; returns where the body starts, or -1 (incomplete, or the connection failed). */
  #readHead(buf: Buffer, off: number, end: number): number {
    const headEnd = findHeadEnd(buf, off, end);
    const limits = this.pool.limits;
    if (headEnd < 0) {
      if (end - off > limits.maxHeaderBytes) this.#fail('ARCHWAY_ERR_UPSTREAM_RESET', false);
      else this.#pending = Buffer.from(buf.subarray(off, end)); // a copy: the read buffer is reused
      return -1;
    }
    const head = new ResponseHead();
    if (
      headEnd - off > limits.maxHeaderBytes ||
      parseResponseHead(buf.toString('latin1', off, headEnd), 1000, head) !== 0
    ) {
      this.#fail('ARCHWAY_ERR_UPSTREAM_RESET', false);
      return -1;
    }
    const status = head.status;
    if (status < 200) return this.#interim(head, buf, headEnd, end);
    this.#keepAlive = head.keepAlive;
    const bodyless = this.#isHead || status === 204 || status === 304;
    const chunked = !bodyless && (head.chunked || head.contentLength < 0);
    if (bodyless || head.contentLength === 0) {
      this.handler!.onUpstreamHead(head, true, false);
      this.#complete(headEnd < end);
      return headEnd;
    }
    if (head.chunked) {
      this.#state = CHUNKED;
      this.#decoder = new ChunkedDecoder(limits.maxHeaderBytes);
    } else if (head.contentLength > 0) {
      this.#state = LENGTH;
      this.#remaining = head.contentLength;
    } else {
      this.#state = UNTIL_CLOSE;
      this.#keepAlive = false;
    }
    this.handler!.onUpstreamHead(head, false, chunked);
    return headEnd;
  }

  /** 1xx: 101 opens the tunnel the request asked for; the others are skipped (the final response follows). */
  #interim(head: ResponseHead, buf: Buffer, headEnd: number, end: number): number {
    if (head.status !== 101) return headEnd;
    if (!this.#upgrade) {
      this.#fail('ARCHWAY_ERR_UPSTREAM_RESET', false);
      return -1;
    }
    this.#state = TUNNEL;
    this.pool.detach(this);
    this.handler!.onUpstreamUpgrade(head, Buffer.from(buf.subarray(headEnd, end)));
    return -1;
  }

  /** The response is complete; `extra`: bytes followed it (the upstream broke the protocol). */
  #complete(extra: boolean): void {
    const h = this.handler!;
    this.handler = null;
    this.#served++;
    this.#decoder = null;
    if (this.#keepAlive && this.#requestDone && !extra && !this.pool.closing) {
      this.#state = IDLE;
      this.stamp = this.pool.sweeper.now;
      // The handler may have paused reading (its client was slow) on the read that ended the response: the next
      // request on this connection must find it reading.
      if (this.socket.isPaused()) this.socket.resume();
      this.pool.release(this);
    } else {
      this.#kill();
    }
    h.onUpstreamEnd();
  }

  #fail(code: ResponseErrorCode, retryable: boolean): void {
    const h = this.handler;
    this.handler = null;
    this.#kill();
    h?.onUpstreamError(code, retryable);
  }

  #kill(): void {
    if (this.#state === DEAD) return;
    if (this.#state === CONNECTING) {
      this.socket.destroy(); // the close event reports the failure to the reserved handler
      return;
    }
    const wasTunnel = this.#state === TUNNEL;
    this.#state = DEAD;
    this.#pending = null;
    this.socket.destroy();
    if (!wasTunnel) this.pool.remove(this);
  }

  #onClose(): void {
    const state = this.#state;
    if (state === DEAD) return;
    if (state === CONNECTING) {
      this.#state = DEAD;
      this.pool.connectFailed(this);
      return;
    }
    if (state === TUNNEL) {
      this.#state = DEAD;
      const h = this.handler;
      this.handler = null;
      h?.onTunnelClose();
      return;
    }
    if (state === UNTIL_CLOSE && this.socket.readableEnded && this.handler !== null) {
      this.#keepAlive = false;
      this.#complete(false);
      return;
    }
    this.#fail('ARCHWAY_ERR_UPSTREAM_RESET', this.#served > 0 && !this.#gotBytes && state === HEAD);
  }
}
