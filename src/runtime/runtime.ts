/**
 * Wiring for standalone mode: files -> store -> translate -> data plane + status.
 *
 * Owns: the reconcile loop. A change after a quiet period is applied on the next turn of the event loop (every
 * object a file write touched has been stored by then); changes that keep coming are debounced (a short holdoff,
 * capped by a maximum delay, as Contour's handler does). One reconcile runs at a time: assign pool addresses and
 * find the requested static addresses this host cannot bind, translate the snapshot (with a cache, so unchanged
 * routes cost next to nothing), apply the IR to the data plane, stamp the statuses (only those whose value or
 * generation changed). Status tells what the data plane did: each translate is told which listeners the last apply
 * failed to bind, and when an apply changes that, the snapshot is translated once more (same IR) for the status.
 * Changes that arrive during a reconcile trigger exactly one more. Listeners that failed to bind and addresses that
 * are not local yet are tried again with backoff.
 */
import { type ConfigError, formatConfigError } from '../api/decode.ts';
import type { KubeObject } from '../api/types.ts';
import type { ApplyReport, Dataplane } from '../dataplane/dataplane.ts';
import type { IR } from '../ir/types.ts';
import { FileSource, type WatchBatch } from '../sources/files/files.ts';
import { kubeTime, mergeStatus } from '../status/merge.ts';
import type { StatusValue } from '../status/types.ts';
import { Sharer } from '../store/share.ts';
import type { Snapshot } from '../store/snapshot.ts';
import { keyOf, Store } from '../store/store.ts';
import { StatusMap } from '../translate/statusmap.ts';
import { type TranslateCache, translate } from '../translate/translate.ts';
import { AddressPool } from './addresses.ts';
import { SUPPORTED_FEATURES } from './features.ts';
import { findAddresses } from './gateway-addresses.ts';
import { type ChangeTiming, changeTiming, type PendingChange, Timeline } from './timeline.ts';
import { NONE_UNBOUND, sameUnbound, unboundOf } from './unbound.ts';

export interface RuntimeOptions {
  readonly configDir: string;
  readonly controllerName: string;
  readonly addressPool?: string;
  /** A Dataplane, or anything that applies an IR the same way (the multi-process one of workers/). */
  readonly dataplane: Pick<Dataplane, 'apply'>;
  readonly log?: (line: string) => void;
  /** Debounce: while changes keep coming (less than this apart), wait this long after the last one ... */
  readonly holdoffMs?: number;
  /** ... but never longer than this after the first one. */
  readonly maxDelayMs?: number;
  /** Called after every reconcile (the admin metrics count them), with how long its change took to be served. */
  readonly onReconcile?: (durationMs: number, configErrors: number, timing: ChangeTiming) => void;
}

export interface ReconcileStats {
  readonly count: number;
  readonly lastDurationMs: number;
  readonly lastApply: ApplyReport | undefined;
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

export class Runtime {
  readonly store = new Store();
  readonly #opts: RuntimeOptions;
  readonly #files: FileSource;
  readonly #pool: AddressPool | undefined;
  /** Published status by object key: equal statuses are one object (thousands of routes Accepted together). */
  readonly #statuses = new Map<string, Record<string, unknown>>();
  readonly #statusSharer = new Sharer(256);
  /** The translator's statuses they were stamped from (the value of each key is the one its status shows). */
  #values: ReadonlyMap<string, StatusValue> = new Map();
  readonly #cache: TranslateCache = {};
  #ir: IR = { listeners: [], clusters: [] };
  #errors: readonly ConfigError[] = [];
  #ready = false;
  #running: Promise<void> | undefined;
  #dirty = false;
  #holdoff:
    | { readonly kind: 'timeout'; readonly handle: NodeJS.Timeout }
    | { readonly kind: 'immediate'; readonly handle: NodeJS.Immediate }
    | undefined;
  #firstChangeAt = 0;
  #lastChangeAt = Number.NEGATIVE_INFINITY;
  #appliedVersion = -1;
  #stats: ReconcileStats = { count: 0, lastDurationMs: 0, lastApply: undefined };
  readonly #waiters: (() => void)[] = [];
  /** Retries listeners that failed to bind (a port still held by a closing listener, an address not up yet). */
  #retry: NodeJS.Timeout | undefined;
  #retryDelayMs = RETRY_MIN_MS;
  /** IR listeners the last apply failed to bind (name -> error), and requested addresses that are not local. */
  #unbound = NONE_UNBOUND;
  #unusable: ReadonlySet<string> = new Set();
  #closed = false;
  #loaded = false;
  /** The watch batch being committed to the store (its changes are timed from its first event). */
  #batch: WatchBatch | undefined;
  /** The first change not yet taken by a reconcile. */
  #pending: PendingChange | undefined;
  readonly #timeline = new Timeline();

  constructor(opts: RuntimeOptions) {
    this.#opts = opts;
    this.#pool = opts.addressPool ? new AddressPool(opts.addressPool) : undefined;
    this.#files = new FileSource({
      dir: opts.configDir,
      store: this.store,
      onErrors: (errors) => this.#reportErrors(errors),
      onBatch: (batch) => {
        this.#batch = batch;
      },
    });
    this.store.onChange(() => {
      this.#notePending();
      this.#schedule();
    });
  }

  /**
   * Loads the config directory, applies it once, then keeps watching. Changes seen during the initial load are not
   * reconciled one by one (that would apply half-loaded config): the first reconcile runs once the load is complete.
   */
  async start(): Promise<void> {
    await this.#files.start();
    this.#loaded = true;
    await this.reconcileNow();
    this.#ready = true;
  }

  /** Rescans the config directory now (the watcher does this by itself; tests and SIGHUP use it) and applies it. */
  async rescan(): Promise<void> {
    await this.#files.rescan();
    await this.settled();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#files.close();
    this.#cancelHoldoff();
    await this.#running;
  }

  get ready(): boolean {
    return this.#ready && this.#appliedVersion === this.store.version;
  }
  get ir(): IR {
    return this.#ir;
  }
  get errors(): readonly ConfigError[] {
    return this.#errors;
  }
  get stats(): ReconcileStats {
    return this.#stats;
  }
  /** The last reconciles' timings, oldest first (/debug/changes). */
  get changes(): ChangeTiming[] {
    return this.#timeline.list();
  }

  /** A store change: the first one since the last reconcile started is the one the next reconcile is timed from. */
  #notePending(): void {
    if (this.#pending !== undefined) return;
    const now = performance.now();
    const b = this.#batch;
    this.#pending =
      b === undefined
        ? { seenAt: now, source: 'store', files: 0, storedAt: now }
        : {
            seenAt: b.seenAt,
            source: 'files',
            files: b.files,
            settledAt: b.settledAt,
            readAt: b.readAt,
            storedAt: now,
          };
  }

  /** The object with its status as published (what the admin read API serves). */
  objectWithStatus(obj: KubeObject): KubeObject {
    const status = this.#statuses.get(keyOf(obj));
    return status ? { ...obj, status } : obj;
  }

  /** Resolves once everything changed so far has been applied. */
  settled(): Promise<void> {
    if (this.#appliedVersion === this.store.version && !this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #reportErrors(errors: readonly ConfigError[]): void {
    const before = new Set(this.#errors.map(formatConfigError));
    for (const e of errors) {
      const line = formatConfigError(e);
      if (!before.has(line)) this.#opts.log?.(`config error: ${line}`);
    }
    this.#errors = errors;
  }

  /**
   * A change after a quiet period reconciles on the next turn of the event loop (with every change made in this
   * turn). A change that follows the previous one within the holdoff is part of a burst: the reconcile waits until
   * the burst pauses for the holdoff, but never longer than the maximum delay after the burst's first change.
   */
  #schedule(): void {
    if (!this.#loaded) return; // start() reconciles once the initial load is complete
    const holdoff = this.#opts.holdoffMs ?? 5;
    const maxDelay = this.#opts.maxDelayMs ?? 100;
    const now = performance.now();
    const burst = now - this.#lastChangeAt < holdoff;
    this.#lastChangeAt = now;
    if (this.#holdoff?.kind === 'immediate') return; // the next turn picks this change up too
    if (!this.#holdoff) this.#firstChangeAt = now;
    else if (!burst) return;
    this.#cancelHoldoff();
    const fire = (): void => {
      this.#holdoff = undefined;
      void this.reconcileNow();
    };
    const wait = Math.max(0, Math.min(holdoff, this.#firstChangeAt + maxDelay - now));
    this.#holdoff =
      burst && wait > 0
        ? { kind: 'timeout', handle: setTimeout(fire, wait) }
        : { kind: 'immediate', handle: setImmediate(fire) };
  }

  #cancelHoldoff(): void {
    const h = this.#holdoff;
    if (h?.kind === 'timeout') clearTimeout(h.handle);
    else if (h?.kind === 'immediate') clearImmediate(h.handle);
    this.#holdoff = undefined;
  }

  /** Runs a reconcile now (or right after the one in progress). */
  async reconcileNow(): Promise<void> {
    if (this.#running) {
      this.#dirty = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#dirty = false;
        await this.#reconcileOnce();
      } while (this.#dirty);
    })();
    try {
      await this.#running;
    } finally {
      this.#running = undefined;
      if (this.#appliedVersion === this.store.version) for (const w of this.#waiters.splice(0)) w();
    }
  }

  async #reconcileOnce(): Promise<void> {
    const started = performance.now();
    const change = this.#pending;
    this.#pending = undefined;
    const version = this.store.version;
    const snap = this.store.snapshot();
    const found = findAddresses(snap, this.#opts.controllerName, this.#pool);
    this.#noteUnusable(found.unusableAddresses);
    const opts = { controllerName: this.#opts.controllerName, supportedFeatures: SUPPORTED_FEATURES, ...found };
    let result = translate(snap, { ...opts, unboundListeners: this.#unbound }, this.#cache);
    const translatedAt = performance.now();
    let report: ApplyReport | undefined;
    try {
      report = await this.#opts.dataplane.apply(result.ir);
      this.#ir = result.ir;
    } catch (err) {
      this.#opts.log?.(`data plane apply failed: ${(err as Error).message}`);
    }
    const appliedAt = performance.now();
    const unbound = report ? unboundOf(report) : this.#unbound;
    if (!sameUnbound(unbound, this.#unbound)) {
      this.#unbound = unbound;
      result = translate(snap, { ...opts, unboundListeners: unbound }, this.#cache); // the same IR, honest status
    }
    this.#publishStatuses(snap, result.statuses);
    this.#appliedVersion = version;
    const doneAt = performance.now();
    const durationMs = doneAt - started;
    this.#stats = { count: this.#stats.count + 1, lastDurationMs: durationMs, lastApply: report };
    const timing = changeTiming(change, { startedAt: started, translatedAt, appliedAt, doneAt });
    this.#timeline.add(timing);
    this.#opts.onReconcile?.(durationMs, this.#errors.length, timing);
    this.#scheduleRetry(report);
  }

  /**
   * Listeners whose bind failed, and requested addresses that are not local (an interface not up yet), are tried
   * again with backoff (1 s doubling to 30 s) until they bind.
   */
  #scheduleRetry(report: ApplyReport | undefined): void {
    const failed = report ? this.#unbound : NONE_UNBOUND;
    if (failed.size === 0 && this.#unusable.size === 0) {
      this.#retryDelayMs = RETRY_MIN_MS;
      return;
    }
    if (this.#retry || this.#closed) return;
    for (const [name, error] of failed)
      this.#opts.log?.(`listener ${name}: ${error}; retrying in ${this.#retryDelayMs} ms`);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.reconcileNow();
    }, this.#retryDelayMs);
    this.#retry.unref();
    this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, RETRY_MAX_MS);
  }

  #noteUnusable(unusable: ReadonlySet<string>): void {
    const known = this.#unusable;
    this.#unusable = unusable;
    const fresh = [...unusable].filter((a) => !known.has(a));
    if (fresh.length === 0) return;
    this.#opts.log?.(`gateway addresses not local to this host (not programmed, checked again): ${fresh.join(', ')}`);
  }

  /**
   * Stamps the statuses whose value changed; the others stay as published. With its cache the translator reuses a
   * status value only for the same object (src/translate/memo.ts), so an unchanged value also means an unchanged
   * generation; a changed one is stamped with the generation of its object in this snapshot.
   */
  #publishStatuses(snap: Snapshot, statuses: ReadonlyMap<string, StatusValue>): void {
    const before = this.#values;
    let now: string | undefined;
    const publish = (key: string, value: StatusValue | undefined): void => {
      if (before.get(key) === value) return;
      if (value === undefined) {
        this.#statuses.delete(key);
        return;
      }
      now ??= kubeTime(new Date());
      const generation = findObject(snap, key)?.metadata.generation ?? 1;
      const status = mergeStatus(this.#statuses.get(key), value, generation, now);
      this.#statuses.set(key, this.#statusSharer.share(status));
    };
    // Updated from the statuses published last: only the keys that changed since (the others are the same values).
    const changes = statuses instanceof StatusMap ? statuses.changes : undefined;
    if (changes && before instanceof StatusMap && changes.since === before.token) {
      for (const key of changes.keys) publish(key, statuses.get(key));
    } else {
      statuses.forEach((value, key) => {
        publish(key, value);
      });
      if (before.size > 0) for (const key of before.keys()) if (!statuses.has(key)) this.#statuses.delete(key);
    }
    this.#values = statuses;
  }
}

/** The object a status key ("Kind/namespace/name" or "Kind/name") names in a store snapshot, by binary search. */
function findObject(snap: Snapshot, key: string): KubeObject | undefined {
  const [kind, a, b] = key.split('/') as [string, string, string | undefined];
  const [namespace, name] = b === undefined ? ['', a] : [a, b];
  const lists: Readonly<Record<string, readonly KubeObject[]>> = {
    GatewayClass: snap.gatewayClasses,
    Gateway: snap.gateways,
    HTTPRoute: snap.httpRoutes,
  };
  const list = lists[kind] ?? snap.other[kind] ?? [];
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const o = list[mid] as KubeObject;
    const ns = o.metadata.namespace ?? '';
    const c = ns < namespace ? -1 : ns > namespace ? 1 : o.metadata.name < name ? -1 : o.metadata.name > name ? 1 : 0;
    if (c === 0) return o;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return list.find((o) => keyOf(o) === key); // not in store order: look at each
}
