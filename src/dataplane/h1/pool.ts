/**
 * The raw engine's keep-alive pool for one upstream endpoint: idle connections are reused most recent first; a
 * request with none idle opens a new connection (reserved for it) up to `upstreamConnections`, beyond which it waits
 * in FIFO order. Timeouts (connect, response headers, idle body, keep-alive idle) are applied by the shared sweep.
 * Closing is graceful: idle connections close at once, busy ones when their response completes.
 */

import type { HttpLimits } from '../http/limits.ts';
import type { Sweepable, Sweeper } from './sweeper.ts';
import { UpstreamConnection, type UpstreamHandler } from './upstream.ts';

type Connection = UpstreamConnection;

export class H1Pool implements Sweepable {
  readonly host: string;
  readonly port: number;
  readonly limits: HttpLimits;
  readonly sweeper: Sweeper;
  closing = false;
  readonly #all = new Set<Connection>();
  readonly #idle: Connection[] = [];
  #queue: UpstreamHandler[] = [];
  #closed: (() => void) | null = null;

  constructor(host: string, port: number, limits: HttpLimits, sweeper: Sweeper) {
    this.host = host;
    this.port = port;
    this.limits = limits;
    this.sweeper = sweeper;
    sweeper.add(this);
  }

  /** Hands `handler` a connection now or later (onUpstreamConnection); `fresh` skips idle ones (a retry). */
  acquire(handler: UpstreamHandler, fresh: boolean): void {
    // hot path
    if (!fresh) {
      const idle = this.#idle.pop();
      if (idle !== undefined) {
        handler.onUpstreamConnection(idle);
        return;
      }
    }
    if (this.#all.size < this.limits.upstreamConnections) this.#open(handler);
    else this.#queue.push(handler);
  }

  /** `handler` no longer wants a connection (its client left while it waited). */
  cancel(handler: UpstreamHandler): void {
    const i = this.#queue.indexOf(handler);
    if (i >= 0) this.#queue.splice(i, 1);
    for (const c of this.#all) if (c.reserved === handler) c.reserved = null;
  }

  /** A connection finished a response and may carry another. */
  release(conn: Connection): void {
    const next = this.#queue.shift();
    if (next !== undefined) next.onUpstreamConnection(conn);
    else this.#idle.push(conn);
  }

  /** A connection is gone (closed, failed, timed out). */
  remove(conn: Connection): void {
    if (!this.#all.delete(conn)) return;
    const i = this.#idle.lastIndexOf(conn);
    if (i >= 0) this.#idle.splice(i, 1);
    this.#checkClosed();
    const next = this.#queue.shift();
    if (next !== undefined) this.acquire(next, false);
  }

  /** A connection became a tunnel: it no longer counts against the pool. */
  detach(conn: Connection): void {
    this.#all.delete(conn);
    this.#checkClosed();
  }

  connected(conn: Connection): void {
    const handler = conn.reserved;
    conn.reserved = null;
    if (handler !== null) handler.onUpstreamConnection(conn);
    else this.release(conn);
  }

  connectFailed(conn: Connection): void {
    const handler = conn.reserved;
    conn.reserved = null;
    this.remove(conn);
    handler?.onUpstreamError('ARCHWAY_ERR_UPSTREAM_CONNECT', false);
  }

  sweep(now: number): void {
    for (const c of this.#all) c.sweep(now);
  }

  /** Number of open connections (tests). */
  get size(): number {
    return this.#all.size;
  }

  /** Closes idle connections now and busy ones as they finish; resolves when none is left. */
  close(): Promise<void> {
    this.closing = true;
    for (const c of [...this.#idle]) c.discard();
    return new Promise((resolve) => {
      this.#closed = resolve;
      this.#checkClosed();
    });
  }

  #checkClosed(): void {
    if (!this.closing || this.#all.size !== 0 || this.#queue.length !== 0) return;
    this.sweeper.delete(this);
    const done = this.#closed;
    this.#closed = null;
    done?.();
  }

  #open(handler: UpstreamHandler): void {
    this.#all.add(new UpstreamConnection(this, handler));
  }
}
