/**
 * Listeners the data plane failed to bind, in the form the translator takes them (TranslateOptions.unboundListeners).
 *
 * Owns: reading them out of an ApplyReport (IR listener name -> error text) and telling whether they changed.
 */
import type { ApplyReport } from '../dataplane/dataplane.ts';

export const NONE_UNBOUND: ReadonlyMap<string, string> = new Map();

/** The listeners of `report` that are not serving, with why (names in report order). */
export function unboundOf(report: ApplyReport): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const [name, result] of Object.entries(report)) if (typeof result !== 'string') out.set(name, result.error);
  return out.size === 0 ? NONE_UNBOUND : out;
}

export function sameUnbound(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, error] of a) if (b.get(name) !== error) return false;
  return true;
}
