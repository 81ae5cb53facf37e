/**
 * The per-route match predicates on a request: path (Exact, PathPrefix on segment boundaries, full-match regex),
 * method, headers (case-insensitive names, repeated fields joined by ",") and query params (first value wins).
 * `firstMatch` is the plain linear scan over routes in precedence order: the reference that the path index
 * (pathindex.ts) must agree with, and what it runs for small groups. Pure functions, no allocation in the common case.
 */

import type { CompiledRoute, ValueMatcher } from './table.ts';
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

/** `name` (lower-case ASCII) equals `s` ignoring ASCII case. */
export function equalsIgnoreCase(s: string, lower: string): boolean {
  if (s.length !== lower.length) return false;
  if (s === lower) return true;
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

/** PathPrefix `p` (no trailing slash) matches `path` when it is `p` or continues with "/" right after it. */
export function prefixMatches(p: string, path: string): boolean {
  return path.startsWith(p) && (path.length === p.length || path.charCodeAt(p.length) === 47) /* / */;
}

export function pathMatches(r: CompiledRoute, path: string): boolean {
  switch (r.pathKind) {
    case PATH_ANY:
      return true;
    case PATH_EXACT:
      return path === r.pathValue;
    case PATH_PREFIX:
      return prefixMatches(r.pathValue, path);
    default:
      return r.pathRegex!.test(path);
  }
}

/** Method, headers and query params: every condition except the path. */
export function conditionsMatch(r: CompiledRoute, req: RequestView): boolean {
  // hot path
  if (r.method !== null && r.method !== req.method) return false;
  for (let h = 0; h < r.headers.length; h++) {
    const m = r.headers[h]!;
    if (!valueMatches(m, headerValue(req.rawHeaders, m.name))) return false;
  }
  for (let q = 0; q < r.query.length; q++) {
    const m = r.query[q]!;
    if (!valueMatches(m, req.queryParam(m.name))) return false;
  }
  return true;
}

/** The first of `routes` (in order) that matches every condition, or null. */
export function firstMatch(routes: readonly CompiledRoute[], req: RequestView): CompiledRoute | null {
  // hot path
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!;
    if (pathMatches(r, req.path) && conditionsMatch(r, req)) return r;
  }
  return null;
}
