/**
 * Route match precedence (HTTPRouteRule.matches doc comment): one comparator over one key.
 *
 * Owns: the order of route entries inside a virtual host. Key, compared field by field: path type (Exact,
 * PathPrefix, RegularExpression), path length (longer first; regular expressions tie), method match first, more
 * header matches first, more query param matches first, older route first (creationTimestamp), route
 * "namespace/name" alphabetically, rule index, match index. Hostname specificity is applied by the data plane.
 *
 * The key is one flat string (a route keeps one per entry for as long as it is configured): each number is written
 * as fixed-width base-256 digits (characters U+0000..U+00FF, so the string stays one byte per character), the route
 * key is followed by U+0000 (lower than any character of a name), and plain string comparison (by code unit)
 * compares the fields in order exactly as an element-wise comparison of the values would.
 */
import type { HttpMatchIR } from '../ir/types.ts';
import { intern } from '../lib/intern.ts';

export interface PrecedenceInput {
  readonly match: HttpMatchIR;
  /** Route creation time in ms (routes without one sort as newest). */
  readonly createdMs: number;
  /** "namespace/name" of the route. */
  readonly routeKey: string;
  readonly ruleIndex: number;
  readonly matchIndex: number;
}

/** Opaque: compare with compareKeys (or plain string comparison). */
export type PrecedenceKey = string;

const PATH_RANK: Readonly<Record<HttpMatchIR['path']['type'], number>> = {
  Exact: 0,
  PathPrefix: 1,
  RegularExpression: 2,
};

/** `n` (an integer, clamped to 0..256^width - 1) as `width` base-256 digits, most significant first. */
function digits(n: number, width: number): string {
  const max = 256 ** width - 1;
  let v = Math.min(max, Math.max(0, Math.trunc(n)));
  let out = '';
  for (let i = 0; i < width; i++) {
    out = String.fromCharCode(v % 256) + out;
    v = Math.floor(v / 256);
  }
  return out;
}

/** 2^32: creation times (any Date value, or MAX_SAFE_INTEGER) are split into a signed high and an unsigned low part. */
const LOW = 2 ** 32;
/** The high part's offset: |ms| < 2^53, so high + 2^21 is in 0..2^22 (3 digits). */
const HIGH_OFFSET = 2 ** 21;
/** Larger than any count or length in a match (the CRD allows 16 headers and 1024 path characters). */
const MAX2 = 256 ** 2 - 1;

export function precedenceKey(e: PrecedenceInput): PrecedenceKey {
  const { path, method, headers, queryParams } = e.match;
  const high = Math.floor(e.createdMs / LOW);
  const low = e.createdMs - high * LOW;
  return intern(
    digits(PATH_RANK[path.type], 1) +
      digits(path.type === 'RegularExpression' ? MAX2 : MAX2 - path.value.length, 2) +
      digits(method === null ? 1 : 0, 1) +
      digits(MAX2 - headers.length, 2) +
      digits(MAX2 - queryParams.length, 2) +
      digits(high + HIGH_OFFSET, 3) +
      digits(low, 4) +
      e.routeKey +
      '\u0000' +
      digits(e.ruleIndex, 2) +
      digits(e.matchIndex, 2),
  );
}

/** Negative when `a` comes first; strings by code unit (locale-independent, so output is the same everywhere). */
export function compareKeys(a: PrecedenceKey, b: PrecedenceKey): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` takes precedence over `b`. */
export function comparePrecedence(a: PrecedenceInput, b: PrecedenceInput): number {
  return compareKeys(precedenceKey(a), precedenceKey(b));
}
