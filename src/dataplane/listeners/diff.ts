/**
 * Which listeners an apply opens, keeps, reopens or closes. Pure: listeners are identified by name (address:port);
 * one whose protocol changes (http <-> https) is closed and opened again; nothing else is ever restarted.
 */

import type { ListenerIR } from '../../ir/types.ts';

export interface ListenerDiff {
  readonly open: readonly ListenerIR[];
  readonly keep: readonly ListenerIR[];
  readonly reopen: readonly ListenerIR[];
  /** Names of listeners to close for good. */
  readonly close: readonly string[];
}

export function diffListeners(
  current: ReadonlyMap<string, { readonly scheme: string }>,
  wanted: readonly ListenerIR[],
): ListenerDiff {
  const open: ListenerIR[] = [];
  const keep: ListenerIR[] = [];
  const reopen: ListenerIR[] = [];
  const names = new Set<string>();
  for (const l of wanted) {
    if (names.has(l.name)) continue;
    names.add(l.name);
    const existing = current.get(l.name);
    if (existing === undefined) open.push(l);
    else if (existing.scheme === l.protocol) keep.push(l);
    else reopen.push(l);
  }
  const close = [...current.keys()].filter((name) => !names.has(name)).sort();
  return { open, keep, reopen, close };
}
