/**
 * Wiring for standalone mode: files -> store -> translate -> data plane + status.
 *
 * Owns: the reconcile loop. Store changes are debounced (a short holdoff, capped by a maximum delay, as Contour's
 * handler does), then one reconcile runs at a time: assign pool addresses, translate the snapshot, apply the IR to
 * the data plane, stamp the statuses. Changes that arrive during a reconcile trigger exactly one more.
 */
import type { ConfigError } from '../api/decode.ts';
import type { Gateway, GatewayClass, KubeObject } from '../api/types.ts';
import type { ApplyReport, Dataplane } from '../dataplane/dataplane.ts';
import type { IR } from '../ir/types.ts';
import { FileSource } from '../sources/files/files.ts';
import { kubeTime, mergeStatus } from '../status/merge.ts';
import type { Snapshot } from '../store/snapshot.ts';
import { keyOf, Store } from '../store/store.ts';
import { translate } from '../translate/translate.ts';
import { AddressPool } from './addresses.ts';
import { SUPPORTED_FEATURES } from './features.ts';

export interface RuntimeOptions {
  readonly configDir: string;
  readonly controllerName: string;
  readonly addressPool?: string;
  readonly dataplane: Dataplane;
  readonly log?: (line: string) => void;
  /** Debounce: wait this long after the last change ... */
  readonly holdoffMs?: number;
  /** ... but never longer than this after the first one. */
  readonly maxDelayMs?: number;
}

export interface ReconcileStats {
  readonly count: number;
  readonly lastDurationMs: number;
  readonly lastApply: ApplyReport | undefined;
}

export class Runtime {
  readonly store = new Store();
  readonly #opts: RuntimeOptions;
  readonly #files: FileSource;
  readonly #pool: AddressPool | undefined;
  readonly #statuses = new Map<string, Record<string, unknown>>();
  #ir: IR = { listeners: [], clusters: [] };
  #errors: readonly ConfigError[] = [];
  #ready = false;
  #running: Promise<void> | undefined;
  #dirty = false;
  #holdoff: NodeJS.Timeout | undefined;
  #firstChangeAt = 0;
  #appliedVersion = -1;
  #stats: ReconcileStats = { count: 0, lastDurationMs: 0, lastApply: undefined };
  readonly #waiters: (() => void)[] = [];

  constructor(opts: RuntimeOptions) {
    this.#opts = opts;
    this.#pool = opts.addressPool ? new AddressPool(opts.addressPool) : undefined;
    this.#files = new FileSource({
      dir: opts.configDir,
      store: this.store,
      onErrors: (errors) => this.#reportErrors(errors),
    });
    this.store.onChange(() => this.#schedule());
  }

  /** Loads the config directory, applies it once, then keeps watching. */
  async start(): Promise<void> {
    await this.#files.start();
    await this.reconcileNow();
    this.#ready = true;
  }

  /** Rescans the config directory now (the watcher does this by itself; tests and SIGHUP use it) and applies it. */
  async rescan(): Promise<void> {
    await this.#files.rescan();
    await this.settled();
  }

  async close(): Promise<void> {
    this.#files.close();
    if (this.#holdoff) clearTimeout(this.#holdoff);
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
    const before = new Set(this.#errors.map(formatError));
    for (const e of errors) if (!before.has(formatError(e))) this.#opts.log?.(`config error: ${formatError(e)}`);
    this.#errors = errors;
  }

  #schedule(): void {
    const holdoff = this.#opts.holdoffMs ?? 5;
    const maxDelay = this.#opts.maxDelayMs ?? 100;
    const now = Date.now();
    if (!this.#holdoff) this.#firstChangeAt = now;
    else clearTimeout(this.#holdoff);
    const wait = Math.max(0, Math.min(holdoff, this.#firstChangeAt + maxDelay - now));
    this.#holdoff = setTimeout(() => {
      this.#holdoff = undefined;
      void this.reconcileNow();
    }, wait);
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
    const version = this.store.version;
    const snap = this.store.snapshot();
    const gatewayAddresses = this.#assignAddresses(snap);
    const result = translate(snap, {
      controllerName: this.#opts.controllerName,
      gatewayAddresses,
      supportedFeatures: SUPPORTED_FEATURES,
    });
    let report: ApplyReport | undefined;
    try {
      report = await this.#opts.dataplane.apply(result.ir);
      this.#ir = result.ir;
    } catch (err) {
      this.#opts.log?.(`data plane apply failed: ${(err as Error).message}`);
    }
    this.#publishStatuses(snap, result.statuses);
    this.#appliedVersion = version;
    this.#stats = { count: this.#stats.count + 1, lastDurationMs: performance.now() - started, lastApply: report };
  }

  #assignAddresses(snap: Snapshot): ReadonlyMap<string, string> {
    const ours = new Set(
      snap.gatewayClasses
        .filter((c: GatewayClass) => c.spec.controllerName === this.#opts.controllerName)
        .map((c) => c.metadata.name),
    );
    const wanting = snap.gateways
      .filter((g: Gateway) => ours.has(g.spec.gatewayClassName) && !(g.spec.addresses && g.spec.addresses.length > 0))
      .map((g) => `${g.metadata.namespace}/${g.metadata.name}`);
    const out = new Map(this.#pool ? this.#pool.assign(wanting) : []);
    for (const g of snap.gateways) {
      const ip = g.spec.addresses?.find((a) => (a.type ?? 'IPAddress') === 'IPAddress' && a.value)?.value;
      if (ip && ours.has(g.spec.gatewayClassName)) out.set(`${g.metadata.namespace}/${g.metadata.name}`, ip);
    }
    return out;
  }

  #publishStatuses(snap: Snapshot, statuses: ReadonlyMap<string, unknown>): void {
    const now = kubeTime(new Date());
    const generations = new Map<string, number>();
    for (const list of [snap.gatewayClasses, snap.gateways, snap.httpRoutes, ...Object.values(snap.other)]) {
      for (const o of list as readonly KubeObject[]) generations.set(keyOf(o), o.metadata.generation ?? 1);
    }
    const next = new Map<string, Record<string, unknown>>();
    for (const [key, value] of statuses) {
      const gen = generations.get(key) ?? 1;
      next.set(key, mergeStatus(this.#statuses.get(key), value as never, gen, now) as Record<string, unknown>);
    }
    this.#statuses.clear();
    for (const [k, v] of next) this.#statuses.set(k, v);
  }
}

function formatError(e: ConfigError): string {
  return `${e.file}:${e.line}: ${e.object ? `${e.object}: ` : ''}${e.path ? `${e.path}: ` : ''}${e.message}`;
}
