/**
 * The statuses a translation returns: a read-only map over entries sorted by key.
 *
 * Owns: StatusMap, a ReadonlyMap whose iteration order is the key order and whose lookups are binary searches. It
 * is built from the sorted entries directly: no hash table is filled for a result that is mostly iterated once.
 */
import type { StatusValue } from '../status/types.ts';

export type StatusEntry = readonly [string, StatusValue];

export class StatusMap implements ReadonlyMap<string, StatusValue> {
  readonly #entries: readonly StatusEntry[];

  /** `entries` sorted by key, keys unique. */
  constructor(entries: readonly StatusEntry[]) {
    this.#entries = entries;
  }

  get size(): number {
    return this.#entries.length;
  }

  get(key: string): StatusValue | undefined {
    let lo = 0;
    let hi = this.#entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const entry = this.#entries[mid] as StatusEntry;
      if (entry[0] < key) lo = mid + 1;
      else if (entry[0] > key) hi = mid - 1;
      else return entry[1];
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  forEach(fn: (value: StatusValue, key: string, map: ReadonlyMap<string, StatusValue>) => void): void {
    for (const entry of this.#entries) fn(entry[1], entry[0], this);
  }

  *entries(): MapIterator<[string, StatusValue]> {
    for (const entry of this.#entries) yield [entry[0], entry[1]];
  }

  *keys(): MapIterator<string> {
    for (const entry of this.#entries) yield entry[0];
  }

  *values(): MapIterator<StatusValue> {
    for (const entry of this.#entries) yield entry[1];
  }

  [Symbol.iterator](): MapIterator<[string, StatusValue]> {
    return this.entries();
  }
}
