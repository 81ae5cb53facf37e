/**
 * A coarse clock and one periodic sweep over registered owners (listeners' client connections, upstream pools), so
 * that timeouts (headers, request, keep-alive idle, upstream headers/body/idle/connect) cost a field write per event
 * instead of a timer per request. Timestamps are `now` as of the last tick: a timeout fires up to one interval late.
 * The interval runs only while something is registered, and never keeps the process alive.
 */

export interface Sweepable {
  sweep(now: number): void;
}

function tick(s: Sweeper): void {
  s.tick();
}

export class Sweeper {
  /** Milliseconds (performance.now()) at the last tick. */
  now = performance.now();
  readonly intervalMs: number;
  readonly #items = new Set<Sweepable>();
  #timer: NodeJS.Timeout | null = null;

  constructor(intervalMs: number) {
    this.intervalMs = intervalMs;
  }

  add(item: Sweepable): void {
    this.#items.add(item);
    if (this.#timer !== null) return;
    this.now = performance.now();
    this.#timer = setInterval(tick, this.intervalMs, this);
    this.#timer.unref();
  }

  delete(item: Sweepable): void {
    this.#items.delete(item);
    if (this.#items.size === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  tick(): void {
    const now = performance.now();
    this.now = now;
    for (const item of this.#items) item.sweep(now);
  }
}

/** A sweep interval fine enough for the shortest of `timeoutsMs`: a quarter of it, between 10 ms and 1 s. */
export function sweepInterval(...timeoutsMs: number[]): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(...timeoutsMs) / 4)));
}
