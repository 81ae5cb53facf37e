/**
 * Route match precedence (HTTPRouteRule.matches doc comment): one comparator over one tuple key.
 *
 * Owns: the order of route entries inside a virtual host. Key, compared element by element: path type (Exact,
 * PathPrefix, RegularExpression), path length (longer first; regular expressions tie), method match first, more
 * header matches first, more query param matches first, older route first (creationTimestamp), route
 * "namespace/name" alphabetically, rule index, match index. Hostname specificity is applied by the data plane.
 */
import type { HttpMatchIR } from '../ir/types.ts';

export interface PrecedenceInput {
  readonly match: HttpMatchIR;
  /** Route creation time in ms (routes without one sort as newest). */
  readonly createdMs: number;
  /** "namespace/name" of the route. */
  readonly routeKey: string;
  readonly ruleIndex: number;
  readonly matchIndex: number;
}

export type PrecedenceKey = readonly (number | string)[];

const PATH_RANK: Readonly<Record<HttpMatchIR['path']['type'], number>> = {
  Exact: 0,
  PathPrefix: 1,
  RegularExpression: 2,
};

export function precedenceKey(e: PrecedenceInput): PrecedenceKey {
  const { path, method, headers, queryParams } = e.match;
  return [
    PATH_RANK[path.type],
    path.type === 'RegularExpression' ? 0 : -path.value.length,
    method === null ? 1 : 0,
    -headers.length,
    -queryParams.length,
    e.createdMs,
    e.routeKey,
    e.ruleIndex,
    e.matchIndex,
  ];
}

/** Element-wise comparison; strings by code unit (locale-independent, so output is the same everywhere). */
export function compareKeys(a: PrecedenceKey, b: PrecedenceKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/** Negative when `a` takes precedence over `b`. */
export function comparePrecedence(a: PrecedenceInput, b: PrecedenceInput): number {
  return compareKeys(precedenceKey(a), precedenceKey(b));
}
