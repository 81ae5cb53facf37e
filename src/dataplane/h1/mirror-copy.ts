/**
 * One mirrored request on the raw engine: a fire-and-forget copy sent over the endpoint's own H1Pool (the client of
 * upstream.ts), whose response is read and discarded. Its body arrives chunk by chunk as the main request's body flows
 * (copied: the client's read buffer is reused) and is held until a connection is ready; a copy holding more than its
 * bound, or whose body is cut, is abandoned (never waited for), so a mirror never slows or fails the main request.
 * Framing is this hop's own, as for the main request: the client's Content-Length, else chunked coding.
 */

import type { Endpoint } from '../upstream/pools.ts';
import { requestHead } from './heads.ts';
import type { H1Pool } from './pool.ts';
import type { UpstreamConnection, UpstreamHandler } from './upstream.ts';
import { CRLF, chunkHeader, LAST_CHUNK } from './writes.ts';

export interface MirrorRequest {
  readonly path: string;
  readonly method: string;
  /** Outgoing request fields, flat: name, value, name, value... */
  readonly headers: readonly string[];
}

/** The Content-Length among `headers`, or -1. */
function contentLength(headers: readonly string[]): number {
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (name.length === 14 && name.toLowerCase() === 'content-length') {
      const n = Number(headers[i + 1]);
      return Number.isSafeInteger(n) && n >= 0 ? n : -1;
    }
  }
  return -1;
}

const WAITING = 0;
const SENDING = 1;
const DONE = 2;

export class MirrorCopy implements UpstreamHandler {
  readonly #pool: H1Pool;
  readonly #head: string;
  readonly #hasBody: boolean;
  readonly #isHead: boolean;
  readonly #chunked: boolean;
  readonly #maxBuffered: number;
  #state = WAITING;
  #conn: UpstreamConnection | null = null;
  /** Body bytes received before a connection was ready. */
  #held: Buffer[] = [];
  #heldBytes = 0;
  #bodyEnded = false;

  /** Starts the copy; with `hasBody`, feed() its body and then end() (or destroy()). */
  constructor(endpoint: Endpoint, req: MirrorRequest, hasBody: boolean, maxBuffered: number) {
    const length = hasBody ? contentLength(req.headers) : -1;
    this.#hasBody = hasBody;
    this.#isHead = req.method === 'HEAD';
    this.#chunked = hasBody && length < 0;
    this.#maxBuffered = maxBuffered;
    this.#head = requestHead(req.method, req.path, req.headers, endpoint.key, length, this.#chunked, '');
    this.#pool = endpoint.h1();
    this.#pool.acquire(this, false);
  }

  /** True once the copy was sent whole, answered, or abandoned. */
  get settled(): boolean {
    return this.#state === DONE;
  }

  /** A chunk of the main request's body. */
  feed(chunk: Buffer): void {
    if (this.#state === DONE || this.#bodyEnded) return;
    const copy = Buffer.from(chunk);
    const conn = this.#conn;
    if (conn === null) {
      this.#heldBytes += copy.length;
      if (this.#heldBytes > this.#maxBuffered) this.destroy();
      else this.#held.push(copy);
      return;
    }
    this.#write(conn, copy);
    if (conn.socket.writableLength > this.#maxBuffered) this.destroy();
  }

  /** The main request's body is complete. */
  end(): void {
    if (this.#state === DONE || this.#bodyEnded) return;
    this.#bodyEnded = true;
    const conn = this.#conn;
    if (conn !== null) this.#finishBody(conn);
  }

  /** Abandons the copy unless its whole request was written (then its response is still read and discarded). */
  destroy(): void {
    if (this.#state === DONE || (this.#conn !== null && this.#bodyEnded)) return;
    this.#state = DONE;
    this.#held = [];
    const conn = this.#conn;
    this.#conn = null;
    if (conn !== null) conn.abort();
    else this.#pool.cancel(this);
  }

  // --- UpstreamHandler ---

  onUpstreamConnection(conn: UpstreamConnection): void {
    if (this.#state !== WAITING) {
      conn.pool.release(conn);
      return;
    }
    this.#state = SENDING;
    this.#conn = conn;
    if (!this.#hasBody) {
      conn.send(this, this.#head, false, this.#isHead, false);
      return;
    }
    conn.socket.cork();
    conn.send(this, this.#head, true, false, false);
    for (const chunk of this.#held) this.#write(conn, chunk);
    this.#held = [];
    if (this.#bodyEnded) this.#finishBody(conn);
    conn.socket.uncork();
  }

  onUpstreamHead(): void {}
  onUpstreamData(): void {}
  onUpstreamFlush(): void {}
  onUpstreamDrain(): void {}

  onUpstreamEnd(): void {
    this.#settle();
  }

  onUpstreamError(): void {
    this.#settle();
  }

  /** Never asked for (a copy does not upgrade): the connection is dropped. */
  onUpstreamUpgrade(): void {
    const conn = this.#conn;
    this.#settle();
    conn?.socket.destroy();
  }

  onTunnelData(): void {}
  onTunnelClose(): void {}

  #write(conn: UpstreamConnection, chunk: Buffer): void {
    if (!this.#chunked) {
      conn.writeBody(chunk);
      return;
    }
    if (chunk.length === 0) return;
    conn.writeBody(chunkHeader(chunk.length));
    conn.writeBody(chunk);
    conn.writeBody(CRLF);
  }

  #finishBody(conn: UpstreamConnection): void {
    if (this.#chunked) conn.writeBody(LAST_CHUNK);
    conn.endBody();
  }

  #settle(): void {
    this.#state = DONE;
    this.#conn = null;
    this.#held = [];
  }
}
