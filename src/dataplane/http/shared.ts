/**
 * The parts of compiled routes that many routes have alike, built once and shared: backends (cluster and filter
 * plan), one-element backend and matcher lists, weight lists, filter plans, header/query matchers and retry policies.
 * Shared values are frozen. A Shared belongs to one clusters map (a backend or a mirror holds that map's runtimes), and
 * goes when the map does; its tables are keyed by the strings and objects the IR already holds (no key is built per
 * route, except a filter plan's), and are emptied when they reach MAX_ENTRIES, so they never outgrow what they save.
 *
 * Owns: identity of equal compiled parts. Sharing changes no behaviour: everything shared is read-only.
 */

import type { HttpFilterIR } from '../../ir/types.ts';
import type { ClusterRuntime } from '../upstream/clusters.ts';
import type { CompiledBackend, FilterPlan, RetryPolicy, ValueMatcher } from './table.ts';

/** The one empty list every compiled route uses for "none". */
export const NONE: readonly never[] = Object.freeze([]);

const MAX_ENTRIES = 50_000;

type Clusters = ReadonlyMap<string, ClusterRuntime>;

function nested<K, L, V>(outer: Map<K, Map<L, V>>, k: K): Map<L, V> {
  let inner = outer.get(k);
  if (inner === undefined) {
    inner = new Map();
    outer.set(k, inner);
  }
  return inner;
}

export class Shared {
  #entries = 0;
  /** plan -> cluster name -> backend. */
  #backends = new Map<FilterPlan, Map<string, CompiledBackend>>();
  /** one-element lists, by their element. */
  #singles = new Map<object, readonly object[]>();
  #weights = new Map<number, readonly number[]>();
  #plans = new Map<string, FilterPlan>();
  /** name -> type -> value -> matcher. */
  #matchers = new Map<string, Map<string, Map<string, ValueMatcher>>>();
  #retries = new Map<string, RetryPolicy>();

  #added(): void {
    if (++this.#entries < MAX_ENTRIES) return;
    this.#entries = 0;
    this.#backends = new Map();
    this.#singles = new Map();
    this.#weights = new Map();
    this.#plans = new Map();
    this.#matchers = new Map();
    this.#retries = new Map();
  }

  backend(clusterName: string, cluster: ClusterRuntime | null, plan: FilterPlan): CompiledBackend {
    const byName = nested(this.#backends, plan);
    let b = byName.get(clusterName);
    if (b === undefined) {
      b = Object.freeze({ clusterName, cluster, plan });
      byName.set(clusterName, b);
      this.#added();
    }
    return b;
  }

  /** `items` (already shared values) as a frozen list; a one-element list is shared too. */
  list<T extends object>(items: T[]): readonly T[] {
    if (items.length === 0) return NONE;
    if (items.length > 1) return Object.freeze(items);
    const item = items[0]!;
    let l = this.#singles.get(item) as readonly T[] | undefined;
    if (l === undefined) {
      l = Object.freeze(items);
      this.#singles.set(item, l);
      this.#added();
    }
    return l;
  }

  /** A list of numbers (cumulative weights); one-element lists are shared. */
  numbers(values: number[]): readonly number[] {
    if (values.length !== 1) return Object.freeze(values);
    const v = values[0]!;
    let l = this.#weights.get(v);
    if (l === undefined) {
      l = Object.freeze(values);
      this.#weights.set(v, l);
      this.#added();
    }
    return l;
  }

  /** The plan of `filters`, made by `make` the first time these filters are seen. */
  plan(filters: readonly HttpFilterIR[], make: () => FilterPlan): FilterPlan {
    const key = JSON.stringify(filters);
    let p = this.#plans.get(key);
    if (p === undefined) {
      p = Object.freeze(make());
      this.#plans.set(key, p);
      this.#added();
    }
    return p;
  }

  matcher(name: string, type: string, value: string, make: () => ValueMatcher): ValueMatcher {
    const byValue = nested(nested(this.#matchers, name), type);
    let m = byValue.get(value);
    if (m === undefined) {
      m = Object.freeze(make());
      byValue.set(value, m);
      this.#added();
    }
    return m;
  }

  retry(retries: number, codes: readonly number[], backoffMs: number): RetryPolicy {
    const key = `${retries}/${codes.join(',')}/${backoffMs}`;
    let r = this.#retries.get(key);
    if (r === undefined) {
      r = Object.freeze({ retries, codes, backoffMs });
      this.#retries.set(key, r);
      this.#added();
    }
    return r;
  }
}

const byClusters = new WeakMap<Clusters, Shared>();

/** The shared parts of routes compiled against `clusters`. */
export function sharedFor(clusters: Clusters): Shared {
  let s = byClusters.get(clusters);
  if (s === undefined) {
    s = new Shared();
    byClusters.set(clusters, s);
  }
  return s;
}
