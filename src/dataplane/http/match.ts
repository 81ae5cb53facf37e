/**
 * Request -> route, on a compiled table: virtual host by Host (exact, longest wildcard, catch-all), then the first
 * candidate route (already ordered by hostname specificity and precedence) whose path, method, headers and query
 * params all match. Pure functions over precompiled data: no allocation in the common case.
 */

import type { CompiledRoute, CompiledTable, CompiledVhost, ValueMatcher } from './table.ts';
import { PATH_ANY, PATH_EXACT, PATH_PREFIX } from './table.ts';

/** What matching needs from a request. */
export interface RequestView {
  readonly method: string;
  /** Normalized path, without the query. */
  readonly path: string;
  readonly rawHeaders: readonly string[];
  /** First value of a query param (decoded), or undefined. */
  queryParam(name: string): string | undefined;
}

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

/** `name` (lower-case ASCII) equals `s` ignoring ASCII case. */
export function equalsIgnoreCase(s: string, lower: string): boolean {
  if (s.length !== lower.length) return false;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** A request header's value, repeated fields joined by ","; undefined when absent. `name` is lower-case. */
export function headerValue(raw: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (!equalsIgnoreCase(raw[i]!, name)) continue;
    value = value === undefined ? raw[i + 1]! : `${value},${raw[i + 1]!}`;
  }
  return value;
}

function valueMatches(m: ValueMatcher, value: string | undefined): boolean {
  if (value === undefined) return false;
  return m.regex === null ? value === m.exact : m.regex.test(value);
}

function pathMatches(r: CompiledRoute, path: string): boolean {
  switch (r.pathKind) {
    case PATH_ANY:
      return true;
    case PATH_EXACT:
      return path === r.pathValue;
    case PATH_PREFIX: {
      const p = r.pathValue;
      return path.startsWith(p) && (path.length === p.length || path.charCodeAt(p.length) === 47);
    }
    default:
      return r.pathRegex!.test(path);
  }
}

/** The first candidate that matches every condition, or null (404). */
export function matchRoute(candidates: readonly CompiledRoute[], req: RequestView): CompiledRoute | null {
  // hot path
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!;
    if (!pathMatches(r, req.path)) continue;
    if (r.method !== null && r.method !== req.method) continue;
    let ok = true;
    for (let h = 0; ok && h < r.headers.length; h++) {
      const m = r.headers[h]!;
      ok = valueMatches(m, headerValue(req.rawHeaders, m.name));
    }
    for (let q = 0; ok && q < r.query.length; q++) {
      const m = r.query[q]!;
      ok = valueMatches(m, req.queryParam(m.name));
    }
    if (ok) return r;
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
