/**
 * Request -> route, on a compiled table: virtual host by Host (exact, longest wildcard, catch-all), then the Host's
 * candidate route groups (hosts.ts, most specific hostname first), each asked through its path index (pathindex.ts)
 * for its first route in precedence order whose path, method, headers and query params all match. Pure functions
 * over precompiled data: no allocation in the common case. The predicates themselves live in conditions.ts.
 */

import type { RequestView } from './conditions.ts';
import type { Candidates } from './hosts.ts';
import type { CompiledRoute, CompiledTable, CompiledVhost } from './table.ts';

export { equalsIgnoreCase, headerValue, type RequestView } from './conditions.ts';

export function selectVhost(t: CompiledTable, host: string): CompiledVhost | null {
  // hot path
  const exact = t.exactHosts.get(host);
  if (exact !== undefined) return exact;
  const wildcards = t.wildcardHosts;
  for (let i = 0; i < wildcards.length; i++) {
    const w = wildcards[i]!;
    if (host.length > w.suffix.length && host.endsWith(w.suffix)) return w.vhost;
  }
  return t.catchAll;
}

/** The first route of the first candidate group with a match: most specific hostname, then precedence. */
export function matchRoute(candidates: Candidates, req: RequestView): CompiledRoute | null {
  // hot path
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!.match(req);
    if (r !== null) return r;
  }
  return null;
}

function safeDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Parses "?a=1&b=2" into first-value-wins decoded pairs. */
export function parseQuery(query: string): Map<string, string> {
  const out = new Map<string, string>();
  const start = query.charCodeAt(0) === 63 /* ? */ ? 1 : 0;
  for (const part of query.slice(start).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = safeDecode(eq < 0 ? part : part.slice(0, eq));
    if (!out.has(name)) out.set(name, eq < 0 ? '' : safeDecode(part.slice(eq + 1)));
  }
  return out;
}
