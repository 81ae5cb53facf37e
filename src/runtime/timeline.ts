/**
 * How long each config change took to be served, stage by stage: the admin API's /debug/changes and the
 * archway_config_change_seconds histogram.
 *
 * Owns: the record of the last reconciles. A change is "seen" when the first watch event of the file batch that
 * carried it arrived (or, for a change made straight in the store, when the store changed); from that moment each
 * reconcile records when the settle window ended, when the batch was read, when its objects were in the store, when the
 * reconcile started, when translation ended, when the data plane had applied it (the moment new requests see it) and
 * when the statuses were published. Times are milliseconds after the change was seen, from performance.now(), so
 * they are exact on one host and unaffected by wall-clock steps; `at` is the wall-clock time it was seen.
 *
 * A reconcile with nothing seen (the first load, a bind retry) records its stages from its own start.
 */

/** One reconcile, its stages in ms after the change it applied was seen. */
export interface ChangeTiming {
  /** Wall-clock time (ISO 8601) the change was seen. */
  readonly at: string;
  /** 'files': a watch event; 'store': a change made in the store directly (rescans, tests); 'none': no change. */
  readonly source: 'files' | 'store' | 'none';
  /** Files read in the batch ('files' only). */
  readonly files: number;
  /** The settle timer fired: the burst of events was over ('files' only). */
  readonly settledMs?: number;
  /** Reading the batch began ('files' only; later than settledMs when earlier file work was still queued). */
  readonly readMs?: number;
  /** Its objects were in the store. */
  readonly storedMs: number;
  readonly reconcileStartMs: number;
  readonly translatedMs: number;
  /** The data plane serves it. */
  readonly appliedMs: number;
  /** Statuses published: the reconcile is over. */
  readonly doneMs: number;
}

/** What the runtime knows about the change a reconcile applies, before the reconcile. */
export interface PendingChange {
  readonly seenAt: number;
  readonly source: 'files' | 'store';
  readonly files: number;
  readonly settledAt?: number;
  readonly readAt?: number;
  readonly storedAt: number;
}

/** The stage times of one reconcile (performance.now()). */
export interface ReconcileStages {
  readonly startedAt: number;
  readonly translatedAt: number;
  readonly appliedAt: number;
  readonly doneAt: number;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** The timing of one reconcile, relative to when its change was seen (or to its own start). */
export function changeTiming(change: PendingChange | undefined, stages: ReconcileStages): ChangeTiming {
  const seenAt = change?.seenAt ?? stages.startedAt;
  const rel = (t: number): number => round(t - seenAt);
  return {
    at: new Date(performance.timeOrigin + seenAt).toISOString(),
    source: change?.source ?? 'none',
    files: change?.files ?? 0,
    ...(change?.settledAt !== undefined && { settledMs: rel(change.settledAt) }),
    ...(change?.readAt !== undefined && { readMs: rel(change.readAt) }),
    storedMs: rel(change?.storedAt ?? stages.startedAt),
    reconcileStartMs: rel(stages.startedAt),
    translatedMs: rel(stages.translatedAt),
    appliedMs: rel(stages.appliedAt),
    doneMs: rel(stages.doneAt),
  };
}

/** The last `size` timings, oldest first. */
export class Timeline {
  readonly #size: number;
  readonly #ring: ChangeTiming[] = [];
  #next = 0;

  constructor(size = 256) {
    this.#size = size;
  }

  add(t: ChangeTiming): void {
    if (this.#ring.length < this.#size) this.#ring.push(t);
    else this.#ring[this.#next] = t;
    this.#next = (this.#next + 1) % this.#size;
  }

  list(): ChangeTiming[] {
    if (this.#ring.length < this.#size) return this.#ring.slice();
    return [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
  }
}
