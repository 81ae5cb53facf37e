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

/** The routes of each group key (only of the keys in `only`, when given), in order. */
function collect(routes: readonly CompiledRoute[], only: ReadonlySet<string> | null): Map<string, CompiledRoute[]> {
  const lists = new Map<string, CompiledRoute[]>();
  for (const r of routes) {
    if (r.hostnames.length === 0 && (only === null || only.has(''))) addTo(lists, '', r);
    for (const h of r.hostnames) {
      const key = keyOf(h);
      if (only === null || only.has(key)) addTo(lists, key, r);
    }
  }
  return lists;
}

/** How `next` derives an index: from `prev`, rebuilding only the groups whose keys are in `changed`. */
interface Derivation {
  readonly prev: HostIndex;
  readonly changed: ReadonlySet<string>;
}

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

  /** `routes` in the virtual host's precedence order, hostnames lower-case; `from` is for `next` only. */
  constructor(routes: readonly CompiledRoute[], cacheSize: number, from?: Derivation) {
    this.#cacheSize = cacheSize;
    const changed = from?.changed ?? null;
    const groups = from === undefined ? new Map<string, RouteGroup>() : new Map(from.prev.#groups);
    if (changed !== null) for (const key of changed) groups.delete(key);
    for (const [key, list] of collect(routes, changed)) groups.set(key, new RouteGroup(list));
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
   * keep their relative order, `removed` left and `added` came: only the groups they name are rebuilt.
   */
  next(
    routes: readonly CompiledRoute[],
    removed: readonly CompiledRoute[],
    added: readonly CompiledRoute[],
    cacheSize: number,
  ): HostIndex {
    const changed = new Set<string>();
    for (const r of removed) addKeys(r, changed);
    for (const r of added) addKeys(r, changed);
    return new HostIndex(routes, cacheSize, { prev: this, changed });
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
