/**
 * Hostname intersection between listeners and routes (Gateway API HTTPRouteSpec.hostnames, Listener.hostname).
 *
 * Owns: wildcard semantics ("*.example.com" matches any number of labels before ".example.com", never
 * "example.com" itself), the intersection of a route's hostnames with a listener's hostname, overlap between two
 * listener hostnames, and the specificity order of listener hostnames (exact, then longer wildcards, then none).
 */

export function isWildcard(hostname: string): boolean {
  return hostname.startsWith('*.');
}

/** Whether `host` (exact or wildcard) is strictly inside the wildcard `pattern`. */
function wildcardCovers(pattern: string, host: string): boolean {
  const suffix = pattern.slice(1); // ".example.com"
  return host.length > suffix.length && host.endsWith(suffix);
}

/** The hostname both match, or null: the more specific of the two when one includes the other. */
export function intersectHostname(a: string, b: string): string | null {
  if (a === b) return a;
  if (isWildcard(b) && wildcardCovers(b, a)) return a;
  if (isWildcard(a) && wildcardCovers(a, b)) return b;
  return null;
}

/**
 * The route hostnames a listener serves: [] when the route names none (every host the listener accepts), the
 * intersections otherwise (sorted, unique), or null when route and listener hostnames do not intersect at all.
 */
export function routeHostnamesForListener(
  routeHostnames: readonly string[],
  listenerHostname: string | null,
): readonly string[] | null {
  if (routeHostnames.length === 0) return routeHostnames;
  if (routeHostnames.length === 1) {
    const only = routeHostnames[0] as string;
    if (listenerHostname === null) return routeHostnames;
    const hit = intersectHostname(only, listenerHostname);
    return hit === null ? null : hit === only ? routeHostnames : [hit];
  }
  const hits =
    listenerHostname === null
      ? routeHostnames
      : routeHostnames.flatMap((h) => intersectHostname(h, listenerHostname) ?? []);
  if (hits.length === 0) return null;
  return [...new Set(hits)].sort();
}

/** Whether two listener hostnames (null = any host) can both match one request. */
export function hostnamesOverlap(a: string | null, b: string | null): boolean {
  return a === null || b === null || intersectHostname(a, b) !== null;
}

/** Listener hostname specificity: exact names, then wildcards by decreasing length, then null; ties by name. */
export function compareListenerHostnames(a: string | null, b: string | null): number {
  const rank = (h: string | null): number => (h === null ? 2 : isWildcard(h) ? 1 : 0);
  const byRank = rank(a) - rank(b);
  if (byRank !== 0 || a === null || b === null) return byRank;
  if (isWildcard(a) && a.length !== b.length) return b.length - a.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
