/**
 * The statuses a translation returns: a read-only map over entries sorted by key, and what changed since the
 * previous translation's map.
 *
 * Owns: StatusMap, a ReadonlyMap whose iteration order is the key order and whose lookups are binary searches. It
 * is built from sorted entries directly (the few Gateway and GatewayClass entries, then the route entries the memo
 * keeps from one translation to the next): no hash table is filled for a result that is mostly iterated once.
 * A map updated from the previous one says so (`changes`): the keys whose value may differ (added, removed or
 * changed) since the map with token `since`, so that a consumer holding that map can visit those keys only. Maps
 * name each other by token, not by reference: no map keeps an older one alive.
 */
import type { StatusValue } from '../status/types.ts';

export type StatusEntry = readonly [string, StatusValue];

export interface StatusChanges {
  /** The token of the map these changes are relative to. */
  readonly since: object;
  /** Keys whose value differs or that are in only one of the two maps (possibly repeated); all others are equal. */
  readonly keys: readonly string[];
}

export class StatusMap implements ReadonlyMap<string, StatusValue> {
  readonly #head: readonly StatusEntry[];
  readonly #tail: readonly StatusEntry[];
  /** Identifies this map in a later map's `changes`. */
  readonly token: object = Object.freeze({});
  readonly changes: StatusChanges | undefined;

  /** `head` and `tail` each sorted by key, keys unique, every key of `head` before those of `tail`. */
  constructor(head: readonly StatusEntry[], tail: readonly StatusEntry[] = [], changes?: StatusChanges) {
    this.#head = head;
    this.#tail = tail;
    this.changes = changes;
  }

  get size(): number {
    return this.#head.length + this.#tail.length;
  }

  get(key: string): StatusValue | undefined {
    return find(this.#head, key) ?? find(this.#tail, key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  forEach(fn: (value: StatusValue, key: string, map: ReadonlyMap<string, StatusValue>) => void): void {
    for (const entry of this.#head) fn(entry[1], entry[0], this);
    for (const entry of this.#tail) fn(entry[1], entry[0], this);
  }

  *entries(): MapIterator<[string, StatusValue]> {
    for (const entry of this.#head) yield [entry[0], entry[1]];
    for (const entry of this.#tail) yield [entry[0], entry[1]];
  }

  *keys(): MapIterator<string> {
    for (const entry of this.#head) yield entry[0];
    for (const entry of this.#tail) yield entry[0];
  }

  *values(): MapIterator<StatusValue> {
    for (const entry of this.#head) yield entry[1];
    for (const entry of this.#tail) yield entry[1];
  }

  [Symbol.iterator](): MapIterator<[string, StatusValue]> {
    return this.entries();
  }
}

function find(entries: readonly StatusEntry[], key: string): StatusValue | undefined {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const entry = entries[mid] as StatusEntry;
    if (entry[0] < key) lo = mid + 1;
    else if (entry[0] > key) hi = mid - 1;
    else return entry[1];
  }
  return undefined;
}
