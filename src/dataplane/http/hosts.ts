/**
 * Hostname specificity inside a virtual host. For a request Host, the candidate routes are those whose best matching
 * `hostnames` entry is most specific first: exact > longer wildcard > shorter wildcard > routes without hostnames;
 * inside each group the IR's precedence order is kept.
 *
 * Routes are grouped once by hostname entry (one RouteGroup, with its path index, per exact hostname, per wildcard,
 * and one for the routes without hostnames), so building the index is linear in the number of hostname entries. A
 * Host's candidates are the groups that apply to it, most specific first: its exact group, the wildcard groups whose
 * suffix it ends with (longest first), then the group without hostnames. A route listed in several of them (say
 * `a.com` and `*.com`) is met first in its most specific group; a later listing cannot change the result, since a
 * route that did not match the request there matches it nowhere. Candidates are composed on a Host's first request:
 * kept for every hostname the routes name, and in a bounded cache (oldest evicted) for other Host values.
 * `next` derives the index of a changed route list, rebuilding only the groups of the routes that changed.
 *
 * Deriving must not walk the routes: at thousands of routes, reading each route object and its hostnames costs a
 * cache miss or two per route (~1 ms at 5,000 routes, half of a one-route reconcile). So the index keeps, parallel to
 * its routes, each route's group as a small integer (KeyIds: one id per group key, shared by an index and the ones
 * derived from it; MULTI for a route with several group keys, which is read as an object). A derived index carries
 * the ids over through the list diff (`from`) and finds a changed group's routes by scanning that integer array.
 */

import { RouteGroup } from './pathindex.ts';
import type { CompiledRoute } from './table.ts';

/** The hostname groups that apply to one Host, most specific first: the first group with a matching route wins. */
export type Candidates = readonly RouteGroup[];

const NO_GROUPS: Candidates = [];

/** Group key of a hostname entry: itself, but "" for "*" (which ranks like no hostnames, as "" does). */
const keyOf = (hostname: string) => (hostname === '*' ? '' : hostname);
const isWildcard = (key: string) => key.charCodeAt(0) === 42; /* * */

/** Appends `r` to the list for `key`, once (routes arrive in order, so a repeat is the last one). */
function addTo(map: Map<string, CompiledRoute[]>, key: string, r: CompiledRoute): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [r]);
  else if (list[list.length - 1] !== r) list.push(r);
}

/** A route's group keys. */
function addKeys(r: CompiledRoute, out: Set<string>): void {
  if (r.hostnames.length === 0) out.add('');
  for (const h of r.hostnames) out.add(keyOf(h));
}

/** The ids entry of a route whose hostnames give several group keys (it is read as an object). */
const MULTI = -1;

/** Group keys numbered in order of first sight; shared along a chain of derived indexes. */
class KeyIds {
  readonly #ids = new Map<string, number>();

  /** The id of `key`, numbering it when new. */
  of(key: string): number {
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#ids.size;
      this.#ids.set(key, id);
    }
    return id;
  }

  /** The id of `key` if it has one. */
  find(key: string): number | undefined {
    return this.#ids.get(key);
  }

  /** The id of `r`'s only group key, or MULTI. */
  ofRoute(r: CompiledRoute): number {
    const hs = r.hostnames;
    if (hs.length === 0) return this.of('');
    const key = keyOf(hs[0]!);
    for (let k = 1; k < hs.length; k++) if (keyOf(hs[k]!) !== key) return MULTI;
    return this.of(key);
  }

  get size(): number {
    return this.#ids.size;
  }
}

/** The routes of each group key, in order. */
function collectAll(routes: readonly CompiledRoute[]): Map<string, CompiledRoute[]> {
  const lists = new Map<string, CompiledRoute[]>();
  for (const r of routes) {
    if (r.hostnames.length === 0) addTo(lists, '', r);
    for (const h of r.hostnames) addTo(lists, keyOf(h), r);
  }
  return lists;
}

/** The routes of the group keys in `only`, in order, found through the routes' ids (`ids`, parallel to `routes`). */
function collectKeys(
  routes: readonly CompiledRoute[],
  ids: Int32Array,
  keys: KeyIds,
  only: ReadonlySet<string>,
): Map<string, CompiledRoute[]> {
  const lists = new Map<string, CompiledRoute[]>();
  const wanted = new Map<number, string>();
  for (const key of only) {
    const id = keys.find(key);
    if (id !== undefined) wanted.set(id, key);
  }
  // hot path of a reconcile: integers only, except for the routes with several group keys
  for (let j = 0; j < ids.length; j++) {
    const id = ids[j]!;
    if (id !== MULTI) {
      if (!wanted.has(id)) continue;
      addTo(lists, wanted.get(id)!, routes[j]!);
      continue;
    }
    const r = routes[j]!;
    for (const h of r.hostnames) {
      const key = keyOf(h);
      if (only.has(key)) addTo(lists, key, r);
    }
  }
  return lists;
}

/** Group ids of `routes` (parallel to it). */
function idsOf(routes: readonly CompiledRoute[], keys: KeyIds): Int32Array {
  const ids = new Int32Array(routes.length);
  for (let j = 0; j < routes.length; j++) ids[j] = keys.ofRoute(routes[j]!);
  return ids;
}

/** The ids of a derived route list: carried over for kept routes, numbered for added ones. */
function carryIds(prev: Int32Array, from: Int32Array, routes: readonly CompiledRoute[], keys: KeyIds): Int32Array {
  const ids = new Int32Array(from.length);
  for (let j = 0; j < from.length; j++) {
    const at = from[j]!;
    ids[j] = at >= 0 ? prev[at]! : keys.ofRoute(routes[j]!);
  }
  return ids;
}

/** How `next` derives an index: from `prev`, rebuilding only the groups whose keys are in `changed`. */
interface Derivation {
  readonly prev: HostIndex;
  readonly changed: ReadonlySet<string>;
  /** For each new route, its index in prev's routes or -1 (new). */
  readonly from: Int32Array;
}

/**
 * Keys of removed routes keep their ids; once a chain of derived indexes has numbered this many more keys than its
 * routes have entries, the next index is built afresh with a new numbering (bounds the table under hostname churn).
 */
const SPARE_KEY_IDS = 1024;

export class HostIndex {
  /** Route groups by key: an exact hostname, a wildcard ("*.a.com"), or "" for the routes without hostnames. */
  readonly #groups: Map<string, RouteGroup>;
  /** Wildcard groups by suffix: ".example.com" for "*.example.com". */
  readonly #wild: Map<string, RouteGroup>;
  /** The distinct lengths of those suffixes, longest first. */
  readonly #wildLengths: readonly number[];
  /** The candidates of a Host that no route names and no wildcard covers: the routes without hostnames. */
  readonly #fallback: Candidates;
  /** Candidates of the hostnames routes name, composed on first request (as many as there are such names). */
  readonly #named = new Map<string, Candidates>();
  readonly #cache = new Map<string, Candidates>();
  readonly #cacheSize: number;
  /** Whether any route names a hostname (else every Host gets the fallback). */
  readonly #hasNames: boolean;

  /** Group id of each route, parallel to the routes this index was built from. */
  readonly #ids: Int32Array;
  readonly #keys: KeyIds;

  /** `routes` in the virtual host's precedence order, hostnames lower-case; `from` is for `next` only. */
  constructor(routes: readonly CompiledRoute[], cacheSize: number, from?: Derivation) {
    this.#cacheSize = cacheSize;
    let groups: Map<string, RouteGroup>;
    if (from === undefined) {
      this.#keys = new KeyIds();
      this.#ids = idsOf(routes, this.#keys);
      groups = new Map();
      for (const [key, list] of collectAll(routes)) groups.set(key, new RouteGroup(list));
    } else {
      const prev = from.prev;
      this.#keys = prev.#keys;
      this.#ids = carryIds(prev.#ids, from.from, routes, this.#keys);
      groups = new Map(prev.#groups);
      for (const key of from.changed) groups.delete(key);
      for (const [key, list] of collectKeys(routes, this.#ids, this.#keys, from.changed)) {
        groups.set(key, new RouteGroup(list));
      }
    }
    this.#groups = groups;
    this.#hasNames = groups.size > (groups.has('') ? 1 : 0);
    if (from !== undefined && !from.changed.has('') && ![...from.changed].some(isWildcard)) {
      this.#wild = from.prev.#wild; // only exact hostnames changed
      this.#wildLengths = from.prev.#wildLengths;
      this.#fallback = from.prev.#fallback;
      return;
    }
    this.#wild = new Map();
    const lengths = new Set<number>();
    for (const [key, group] of groups) {
      if (!isWildcard(key) || key.length < 2) continue;
      this.#wild.set(key.slice(1), group);
      lengths.add(key.length - 1);
    }
    this.#wildLengths = [...lengths].sort((a, b) => b - a);
    const plain = groups.get('');
    this.#fallback = plain === undefined ? NO_GROUPS : [plain];
  }

  /**
   * The index of `routes`, the next precedence order of this virtual host, in which the routes kept from this one
   * keep their relative order, `removed` left and `added` came; `from` gives, for each of `routes`, its index in this
   * index's routes (or -1 for an added one). Only the groups the changed routes name are rebuilt.
   */
  next(
    routes: readonly CompiledRoute[],
    from: Int32Array,
    removed: readonly CompiledRoute[],
    added: readonly CompiledRoute[],
    cacheSize: number,
  ): HostIndex {
    if (this.#keys.size > 2 * routes.length + SPARE_KEY_IDS) return new HostIndex(routes, cacheSize);
    const changed = new Set<string>();
    for (const r of removed) addKeys(r, changed);
    for (const r of added) addKeys(r, changed);
    return new HostIndex(routes, cacheSize, { prev: this, changed, from });
  }

  /** The groups for `host`: `own` (its exact group), the wildcard groups covering it, longest first, the fallback. */
  #compose(host: string, own: RouteGroup | undefined): Candidates {
    const groups: RouteGroup[] = own === undefined ? [] : [own];
    for (const len of this.#wildLengths) {
      if (len >= host.length) continue;
      const group = this.#wild.get(host.slice(host.length - len));
      if (group !== undefined) groups.push(group);
    }
    if (groups.length === 0) return this.#fallback;
    groups.push(...this.#fallback);
    return groups;
  }

  /** Candidate route groups for a normalized Host, most specific first. */
  candidates(host: string): Candidates {
    // hot path
    if (!this.#hasNames) return this.#fallback;
    let list = this.#named.get(host);
    if (list !== undefined) return list;
    const own = host === '' || isWildcard(host) ? undefined : this.#groups.get(host);
    if (own !== undefined) {
      list = this.#compose(host, own);
      this.#named.set(host, list);
      return list;
    }
    if (this.#wildLengths.length === 0) return this.#fallback;
    list = this.#cache.get(host);
    if (list !== undefined) return list;
    list = this.#compose(host, undefined);
    if (this.#cache.size >= this.#cacheSize) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    this.#cache.set(host, list);
    return list;
  }

  /** Number of cached Host values that no route names (bounded by the cache size). */
  get cachedHosts(): number {
    return this.#cache.size;
  }
}
