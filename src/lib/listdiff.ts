/**
 * The difference between two versions of a list whose items keep their identity and their relative order while
 * unchanged (the store's snapshot lists).
 *
 * Generic (no domain knowledge), so both the translator (routes of a snapshot) and the data plane (compiled routes
 * of a virtual host) use it; src/lib/ is the one place every layer may import.
 *
 * Owns: pairing identical items of the old and the new list, in order on both sides. Small edits are found by
 * looking a few items ahead for the point where the lists agree again; anything else falls back to an index of the
 * old list. Whatever it pairs is identical, and every item is either paired or reported added/removed, so a caller
 * that reuses paired items and rebuilds the rest is correct even where the pairing is not the smallest possible.
 */

/** How far ahead (items, on each side) a small edit is looked for before an index of the old list is built. */
const AHEAD = 8;

export interface ListDiff {
  /** For each index of the new list: the index of the same item in the old list, or -1. */
  readonly from: Int32Array;
  /** Indices in the old list of the items the new one does not have, ascending. */
  readonly removed: readonly number[];
}

export function diffLists<T>(prev: readonly T[], next: readonly T[]): ListDiff {
  const from = new Int32Array(next.length);
  const removed: number[] = [];
  let index: Map<T, number> | undefined;
  let i = 0;
  let j = 0;
  while (j < next.length) {
    if (i < prev.length && prev[i] === next[j]) {
      from[j++] = i++;
      continue;
    }
    if (i >= prev.length) {
      from[j++] = -1;
      continue;
    }
    const skip = index ? undefined : resync(prev, i, next, j);
    if (skip) {
      for (let k = 0; k < skip.old; k++) removed.push(i++);
      for (let k = 0; k < skip.new; k++) from[j++] = -1;
      continue;
    }
    index ??= indexOf(prev);
    const at = index.get(next[j] as T);
    if (at === undefined || at < i) {
      from[j++] = -1;
      continue;
    }
    while (i < at) removed.push(i++);
    from[j++] = i++;
  }
  while (i < prev.length) removed.push(i++);
  return { from, removed };
}

/** The fewest items to skip (old, new) after which both lists agree again or both end, within AHEAD each. */
function resync<T>(prev: readonly T[], i: number, next: readonly T[], j: number) {
  for (let s = 1; s <= 2 * AHEAD; s++) {
    for (let o = Math.max(0, s - AHEAD); o <= Math.min(s, AHEAD); o++) {
      const p = i + o;
      const n = j + s - o;
      if (p > prev.length || n > next.length) continue;
      if ((p === prev.length && n === next.length) || (p < prev.length && n < next.length && prev[p] === next[n])) {
        return { old: o, new: s - o };
      }
    }
  }
  return undefined;
}

function indexOf<T>(list: readonly T[]): Map<T, number> {
  const out = new Map<T, number>();
  for (let k = 0; k < list.length; k++) out.set(list[k] as T, k);
  return out;
}
