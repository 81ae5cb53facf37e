/**
 * The HTTP data plane: turns each IR into running listeners. apply() compiles every listener's table once, then diffs
 * listeners by name: new ones are bound, existing ones get the new table by reference swap (in-flight requests finish
 * on the old one), removed ones drain and close, a protocol change closes and reopens. Applies run one at a time.
 * Upstream pools are shared across applies and pruned when no cluster uses their endpoint.
 */

import type { AddressInfo } from 'node:net';
import type { HttpListenerIR, IR } from '../ir/types.ts';
import { compileListener } from './http/compile.ts';
import { type HttpLimits, resolveLimits } from './http/limits.ts';
import type { CompiledTable } from './http/table.ts';
import { diffListeners } from './listeners/diff.ts';
import { Listener } from './listeners/listener.ts';
import type { DataplaneObserver } from './observer.ts';
import { compileTls, SecureContextCache, type TlsTable } from './tls/contexts.ts';
import { buildClusters, type ClusterRuntime } from './upstream/clusters.ts';
import { EndpointPools } from './upstream/pools.ts';

export type { HttpLimits } from './http/limits.ts';
export type { DataplaneObserver } from './observer.ts';

export interface DataplaneOptions {
  observer?: DataplaneObserver;
  limits?: Partial<HttpLimits>;
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
  readonly #pools: EndpointPools;
  readonly #contexts = new SecureContextCache();
  readonly #listeners = new Map<string, Listener>();
  readonly #draining = new Set<Promise<void>>();
  #queue: Promise<unknown> = Promise.resolve();
  #warnings: readonly string[] = [];
  #closed = false;

  constructor(opts: DataplaneOptions = {}) {
    this.#observer = opts.observer ?? null;
    this.#limits = resolveLimits(opts.limits);
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
    const { clusters, endpoints } = buildClusters(ir.clusters, this.#pools);
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
    this.#warnings = warnings.sort();
    return Object.fromEntries(Object.entries(report).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  #compile(l: HttpListenerIR, clusters: ReadonlyMap<string, ClusterRuntime>, warnings: string[]): Compiled {
    const table = compileListener(l, { clusters, hostCacheSize: this.#limits.hostCacheSize });
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

  /** Swaps in the new table; with unusable new certificates the old ones stay and the error is reported. */
  #keep(l: HttpListenerIR, c: Compiled): ListenerResult {
    const listener = this.#listeners.get(l.name)!;
    listener.swap(c.table, c.tlsError === null ? c.tls : listener.tls);
    return c.tlsError === null ? 'kept' : { error: c.tlsError };
  }

  async #open(l: HttpListenerIR, c: Compiled): Promise<ListenerResult> {
    if (c.tlsError !== null) return { error: c.tlsError };
    const listener = new Listener(l, c.table, c.tls, this.#observer, this.#limits);
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
