/**
 * GEP-2257 durations: one to four components of 1-5 digits and a unit (h, m, s, ms), summed; "0s" is zero.
 *
 * Owns: parsing a Gateway API Duration to milliseconds, and the schema that checks one.
 */
import { type Schema, str } from './schema.ts';

const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const COMPONENT = /([0-9]{1,5})(h|ms|m|s)/g;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** The duration in milliseconds, or undefined if `s` is not a GEP-2257 duration. */
export function parseDuration(s: string): number | undefined {
  if (!DURATION.test(s)) return undefined;
  let total = 0;
  for (const [, digits, unit] of s.matchAll(COMPONENT)) total += Number(digits) * (UNIT_MS[unit ?? ''] ?? 0);
  return total;
}

export const durationString: Schema = str({
  pattern: DURATION,
  message: 'must be a duration of 1 to 4 parts, each 1-5 digits and a unit h, m, s or ms (e.g. "1h30m", "500ms")',
});
