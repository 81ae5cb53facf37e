/**
 * Hostname specificity inside a virtual host. For a request Host, the candidate routes are those whose best matching
 * `hostnames` entry is most specific first: exact > longer wildcard > shorter wildcard > routes without hostnames;
 * inside each group the IR's precedence order is kept (stable sort). Lists are precomputed for every exact hostname
 * the routes name; other Host values are computed on first sight and kept in a bounded cache (oldest evicted).
 */

import type { CompiledRoute } from './table.ts';

const EXACT_RANK = Number.MAX_SAFE_INTEGER;
const NO_MATCH = -1;

/** How specifically `hostnames` match `host`: exact, wildcard suffix length, 0 for "no hostnames", -1 for no match. */
export function hostnameRank(hostnames: readonly string[], host: string): number {
  if (hostnames.length === 0) return 0;
  let best = NO_MATCH;
  for (const h of hostnames) {
    if (h === host) return EXACT_RANK;
    if (h.charCodeAt(0) === 42 /* * */) {
      const suffix = h.slice(1);
      if (host.length > suffix.length && host.endsWith(suffix) && suffix.length > best) best = suffix.length;
    }
  }
  return best;
}

/** The ordered candidate routes for `host`. */
export function candidatesFor(routes: readonly CompiledRoute[], host: string): readonly CompiledRoute[] {
  const ranked: { route: CompiledRoute; rank: number }[] = [];
  for (const route of routes) {
    const rank = hostnameRank(route.hostnames, host);
    if (rank !== NO_MATCH) ranked.push({ route, rank });
  }
  ranked.sort((a, b) => b.rank - a.rank);
  return ranked.map((r) => r.route);
}

export class HostIndex {
  readonly #routes: readonly CompiledRoute[];
  /** Set when no route names a hostname: every Host gets this list. */
  readonly #plain: readonly CompiledRoute[] | null;
  readonly #exact = new Map<string, readonly CompiledRoute[]>();
  readonly #cache = new Map<string, readonly CompiledRoute[]>();
  readonly #cacheSize: number;

  constructor(routes: readonly CompiledRoute[], cacheSize: number) {
    this.#routes = routes;
    this.#cacheSize = cacheSize;
    const named = routes.some((r) => r.hostnames.length > 0);
    this.#plain = named ? null : routes;
    if (!named) return;
    for (const r of routes) {
      for (const h of r.hostnames) {
        if (h.charCodeAt(0) !== 42 && !this.#exact.has(h)) this.#exact.set(h, candidatesFor(routes, h));
      }
    }
  }

  /** Candidate routes for a normalized Host, most specific hostname group first. */
  candidates(host: string): readonly CompiledRoute[] {
    // hot path
    if (this.#plain !== null) return this.#plain;
    const exact = this.#exact.get(host);
    if (exact !== undefined) return exact;
    let list = this.#cache.get(host);
    if (list !== undefined) return list;
    list = candidatesFor(this.#routes, host);
    if (this.#cache.size >= this.#cacheSize) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    this.#cache.set(host, list);
    return list;
  }

  /** Number of cached Host values (bounded by the cache size). */
  get cachedHosts(): number {
    return this.#cache.size;
  }
}
