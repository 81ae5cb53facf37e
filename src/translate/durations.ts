/**
 * Gateway API durations (GEP-2257): "1h", "30s", "500ms", "1h30m", ... -> milliseconds.
 *
 * Owns: parsing and the rule timeouts/retry values of the IR. A value that is not a GEP-2257 duration makes the
 * rule unimplementable (UnsupportedValue), as does a backendRequest timeout longer than the request timeout.
 */
import type { HTTPRouteRetry, HTTPRouteTimeouts } from '../api/types.ts';
import type { HttpRouteIR } from '../ir/types.ts';
import type { Checked } from './matches.ts';

const DURATION = /^(?:\d{1,5}(?:h|ms|m|s)){1,4}$/;
const PART = /(\d{1,5})(h|ms|m|s)/g;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
/** Retry defaults where the spec leaves them to the implementation. */
const DEFAULT_RETRY_ATTEMPTS = 1;
const DEFAULT_RETRY_BACKOFF_MS = 25;

export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, n, unit] of text.matchAll(PART)) ms += Number(n) * (UNIT_MS[unit as string] as number);
  return ms;
}

export function convertTimeouts(spec: HTTPRouteTimeouts): Checked<NonNullable<HttpRouteIR['timeouts']>> {
  const requestMs = spec.request === undefined ? undefined : parseDuration(spec.request);
  const backendRequestMs = spec.backendRequest === undefined ? undefined : parseDuration(spec.backendRequest);
  if (spec.request !== undefined && requestMs === undefined) return bad('timeouts.request', spec.request);
  if (spec.backendRequest !== undefined && backendRequestMs === undefined) {
    return bad('timeouts.backendRequest', spec.backendRequest);
  }
  if (requestMs && backendRequestMs !== undefined && (backendRequestMs === 0 || backendRequestMs > requestMs)) {
    return { ok: false, problem: 'timeouts.backendRequest must not be longer than timeouts.request' };
  }
  return {
    ok: true,
    value: {
      ...(requestMs !== undefined && { requestMs }),
      ...(backendRequestMs !== undefined && { backendRequestMs }),
    },
  };
}

export function convertRetry(spec: HTTPRouteRetry): Checked<NonNullable<HttpRouteIR['retry']>> {
  const backoffMs = spec.backoff === undefined ? DEFAULT_RETRY_BACKOFF_MS : parseDuration(spec.backoff);
  if (backoffMs === undefined) return bad('retry.backoff', spec.backoff ?? '');
  const codes = [...new Set(spec.codes ?? [])].sort((a, b) => a - b);
  if (codes.some((c) => !(c >= 400 && c <= 599))) return { ok: false, problem: 'retry.codes must be 4xx or 5xx' };
  const attempts = spec.attempts ?? DEFAULT_RETRY_ATTEMPTS;
  if (!(attempts >= 0)) return { ok: false, problem: 'retry.attempts must not be negative' };
  return { ok: true, value: { attempts, codes, backoffMs } };
}

function bad(field: string, value: string): { ok: false; problem: string } {
  return { ok: false, problem: `${field} ${JSON.stringify(value)} is not a valid duration` };
}
