/**
 * Gives back, once config changes have stopped and the process is nearly idle, the memory a burst of changes left.
 * Each reconcile at thousands of routes leaves a few hundred KB of lists that live until the next change, so they
 * are promoted and become old-space garbage; V8 keeps those pages committed until a full collection, and its memory
 * reducer only starts after one (1,000 edits at 5,000 routes: 248 MiB resident, still 248 MiB five seconds later).
 *
 * Owns: when that collection runs. After a change, once no change has come for `quietMs`, it looks at V8's committed
 * heap: when it has grown by at least `minGrowthBytes` since the last collection here (or since start) and the event
 * loop was busy less than `idleUtilization` of the quiet period, it runs one memory-reducing full collection, the one
 * serve runs after the initial load (a pause of 50-250 ms at thousands of routes: the reason it waits for a quiet,
 * mostly idle moment; at 5,000 routes after 1,000 edits it took the heap from 152 to 35 MiB and the process from
 * 260 to 136 MiB resident). A busy process is checked again every `quietMs` until it is idle or a change comes; a
 * full collection V8 made meanwhile shows as no growth.
 */
import { getHeapStatistics } from 'node:v8';
import { releaseMemory } from '../lib/heap.ts';

export interface ChurnReleaseOptions {
  readonly quietMs?: number;
  readonly idleUtilization?: number;
  readonly minGrowthBytes?: number;
  /** Committed heap bytes now (default: V8's total_heap_size). */
  readonly heapBytes?: () => number;
  /** Event loop utilization (0..1) since the previous call (default: performance.eventLoopUtilization). */
  readonly utilization?: () => number;
  /** One full collection (default: V8's memory-reducing gc(), the one serve runs after the initial load). */
  readonly collect?: () => void;
  /** Told after each collection: heap bytes before and after, and its duration. */
  readonly onRelease?: (before: number, after: number, ms: number) => void;
}

const MiB = 1024 * 1024;

function defaultUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const u = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return u;
  };
}

export class ChurnRelease {
  readonly #quietMs: number;
  readonly #idle: number;
  readonly #minGrowth: number;
  readonly #heapBytes: () => number;
  readonly #utilization: () => number;
  readonly #collect: () => void;
  readonly #onRelease: ChurnReleaseOptions['onRelease'];
  #baseline: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: ChurnReleaseOptions = {}) {
    this.#quietMs = opts.quietMs ?? 2000;
    this.#idle = opts.idleUtilization ?? 0.25;
    this.#minGrowth = opts.minGrowthBytes ?? 32 * MiB;
    this.#heapBytes = opts.heapBytes ?? (() => getHeapStatistics().total_heap_size);
    this.#utilization = opts.utilization ?? defaultUtilization();
    this.#collect = opts.collect ?? releaseMemory;
    this.#onRelease = opts.onRelease;
    this.#baseline = this.#heapBytes();
  }

  /** A change was applied: look again once changes have stopped for the quiet period. */
  changed(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#utilization(); // the quiet period's utilization is measured from now
    this.#arm();
  }

  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    this.#timer = setTimeout(() => this.#check(), this.#quietMs);
    this.#timer.unref();
  }

  #check(): void {
    this.#timer = undefined;
    const before = this.#heapBytes();
    if (before < this.#baseline) this.#baseline = before; // V8 collected by itself
    if (before - this.#baseline < this.#minGrowth) return;
    if (this.#utilization() > this.#idle) {
      this.#arm(); // busy: try again later
      return;
    }
    const started = performance.now();
    this.#collect();
    const after = this.#heapBytes();
    this.#baseline = after;
    this.#onRelease?.(before, after, performance.now() - started);
  }
}
