/**
 * The HTTP data plane: turns each IR into running listeners. apply() compiles every listener's table once, then diffs
 * listeners by name: new ones are bound, existing ones get the new table by reference swap (in-flight requests finish
 * on the old one), removed ones drain and close, a protocol change closes and reopens. Applies run one at a time.
 * Upstream pools are shared across applies and pruned when no cluster uses their endpoint. Only what changed is
 * compiled: routes, virtual hosts and tables are reused by IR identity (http/compile-cache.ts), and cluster
 * runtimes are kept by name, an endpoint change updating the runtime in place.
 */

import type { AddressInfo } from 'node:net';
import type { ClusterIR, HttpListenerIR, IR } from '../ir/types.ts';
import { compileListener } from './http/compile.ts';
import { CompileCache } from './http/compile-cache.ts';
import { type HttpLimits, resolveLimits } from './http/limits.ts';
import type { CompiledTable } from './http/table.ts';
import { diffListeners } from './listeners/diff.ts';
import { type HttpEngine, Listener } from './listeners/listener.ts';
import type { DataplaneObserver } from './observer.ts';
import { compileTls, SecureContextCache, type TlsTable } from './tls/contexts.ts';
import { ClusterRuntime, type ClusterSet } from './upstream/clusters.ts';
import { EndpointPools } from './upstream/pools.ts';
import { loadUndici } from './upstream/undici.ts';

export type { HttpLimits } from './http/limits.ts';
export type { HttpEngine } from './listeners/listener.ts';
export type { DataplaneObserver } from './observer.ts';

export interface DataplaneOptions {
  observer?: DataplaneObserver;
  limits?: Partial<HttpLimits>;
  /**
   * The HTTP/1.1 engine: 'raw' (default; raw sockets, strict parser, own upstream pools) or 'node' (node:http server +
   * undici pools). The environment variable ARCHWAY_HTTP_ENGINE=node|raw overrides the default when this is unset.
   */
  engine?: HttpEngine;
}

/** The engine from the options, else ARCHWAY_HTTP_ENGINE, else 'raw'. */
function chooseEngine(engine: HttpEngine | undefined): HttpEngine {
  if (engine !== undefined) return engine;
  return process.env.ARCHWAY_HTTP_ENGINE === 'node' ? 'node' : 'raw';
}

/** Per listener: newly bound, kept (table swapped), or why it is not serving (EADDRINUSE, no certificate...). */
export type ListenerResult = 'bound' | 'kept' | { readonly error: string };
export type ApplyReport = Readonly<Record<string, ListenerResult>>;

interface Compiled {
  readonly table: CompiledTable;
  readonly tls: TlsTable | null;
  readonly tlsError: string | null;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class Dataplane {
  readonly #observer: DataplaneObserver | null;
  readonly #limits: HttpLimits;
  readonly #engine: HttpEngine;
  readonly #pools: EndpointPools;
  readonly #contexts = new SecureContextCache();
  readonly #compiled = new CompileCache();
  /** Cluster runtimes by name, kept across applies: an endpoint change updates one in place. */
  readonly #runtimes = new Map<string, { readonly ir: ClusterIR; readonly runtime: ClusterRuntime }>();
  /** Replaced only when a name points at another runtime (or none): compiled routes stay valid while it is kept. */
  #clusterMap: ReadonlyMap<string, ClusterRuntime> = new Map();
  readonly #listeners = new Map<string, Listener>();
  readonly #draining = new Set<Promise<void>>();
  #queue: Promise<unknown> = Promise.resolve();
  #warnings: readonly string[] = [];
  #closed = false;

  constructor(opts: DataplaneOptions = {}) {
    this.#observer = opts.observer ?? null;
    this.#limits = resolveLimits(opts.limits);
    this.#engine = chooseEngine(opts.engine);
    this.#pools = new EndpointPools(this.#limits);
  }

  apply(ir: IR): Promise<ApplyReport> {
    const run = this.#queue.then(() => this.#apply(ir));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Routes and certificates dropped by the last apply (invalid regex, unusable certificate), with reasons. */
  warnings(): readonly string[] {
    return this.#warnings;
  }

  /** The HTTP/1.1 engine serving this data plane's listeners. */
  get engine(): HttpEngine {
    return this.#engine;
  }

  /** The bound address of a listener (useful with port 0), or null. */
  listenerAddress(name: string): AddressInfo | null {
    return this.#listeners.get(name)?.boundAddress() ?? null;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    const all = [...this.#listeners.values()].map((l) => l.close());
    this.#listeners.clear();
    await Promise.all([...all, ...this.#draining]);
    await this.#pools.close();
  }

  async #apply(ir: IR): Promise<ApplyReport> {
    if (this.#closed) throw new Error('dataplane is closed');
    if (this.#engine === 'node') await loadUndici(); // before any listener opens; the raw engine never loads it
    const { clusters, endpoints } = this.#updateClusters(ir.clusters);
    const warnings: string[] = [];
    const report: Record<string, ListenerResult> = {};
    const diff = diffListeners(this.#listeners, ir.listeners);
    for (const name of [...diff.close, ...diff.reopen.map((l) => l.name)]) this.#drain(name);
    for (const l of diff.keep) report[l.name] = this.#keep(l, this.#compile(l, clusters, warnings));
    const opened = [...diff.open, ...diff.reopen].map(async (l) => {
      report[l.name] = await this.#open(l, this.#compile(l, clusters, warnings));
    });
    await Promise.all(opened);
    this.#pools.prune(endpoints);
    this.#contexts.rotate();
    this.#compiled.rotate();
    this.#warnings = warnings.sort();
    return Object.fromEntries(Object.entries(report).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  #compile(l: HttpListenerIR, clusters: ReadonlyMap<string, ClusterRuntime>, warnings: string[]): Compiled {
    const table = compileListener(l, { clusters, hostCacheSize: this.#limits.hostCacheSize, cache: this.#compiled });
    warnings.push(...table.warnings.map((w) => `${l.name}: ${w}`));
    if (l.protocol === 'http') return { table, tls: null, tlsError: null };
    try {
      const tls = compileTls(l.virtualHosts, this.#contexts);
      warnings.push(...tls.warnings.map((w) => `${l.name}: ${w}`));
      return { table, tls, tlsError: null };
    } catch (err) {
      return { table, tls: null, tlsError: errorText(err) };
    }
  }

  /**
   * The runtime of every IR cluster: kept while its protocol is, its endpoints replaced in place when they change
   * (no route is recompiled for an EndpointSlice change); the name -> runtime map is a new object only when a name
   * appears, disappears or gets a new runtime.
   */
  #updateClusters(irs: readonly ClusterIR[]): ClusterSet {
    const endpoints = new Set<string>();
    const next = new Map<string, ClusterRuntime>();
    let moved = irs.length !== this.#clusterMap.size;
    for (const c of irs) {
      const list = c.endpoints.map((e) => this.#pools.get(e.address, e.port));
      for (const e of list) endpoints.add(e.key);
      const kept = this.#runtimes.get(c.name);
      let runtime = kept?.runtime;
      if (runtime === undefined || runtime.protocol !== c.protocol)
        runtime = new ClusterRuntime(c.name, c.protocol, list);
      else if (kept?.ir !== c) runtime.setEndpoints(list);
      this.#runtimes.set(c.name, { ir: c, runtime });
      next.set(c.name, runtime);
      if (this.#clusterMap.get(c.name) !== runtime) moved = true;
    }
    for (const name of this.#runtimes.keys()) if (!next.has(name)) this.#runtimes.delete(name);
    if (moved) this.#clusterMap = next;
    return { clusters: this.#clusterMap, endpoints };
  }

  /** Swaps in the new table; with unusable new certificates the old ones stay and the error is reported. */
  #keep(l: HttpListenerIR, c: Compiled): ListenerResult {
    const listener = this.#listeners.get(l.name)!;
    listener.swap(c.table, c.tlsError === null ? c.tls : listener.tls);
    return c.tlsError === null ? 'kept' : { error: c.tlsError };
  }

  async #open(l: HttpListenerIR, c: Compiled): Promise<ListenerResult> {
    if (c.tlsError !== null) return { error: c.tlsError };
    const listener = new Listener(l, c.table, c.tls, this.#observer, this.#limits, this.#engine);
    try {
      await listener.listen();
    } catch (err) {
      await listener.close();
      return { error: errorText(err) };
    }
    this.#listeners.set(l.name, listener);
    return 'bound';
  }

  #drain(name: string): void {
    const listener = this.#listeners.get(name);
    if (listener === undefined) return;
    this.#listeners.delete(name);
    const done = listener.close().finally(() => this.#draining.delete(done));
    this.#draining.add(done);
  }
}
