/**
 * Which file provides which object, and which file's version is in force.
 *
 * Owns: for every file, the objects it currently provides (each stamped with the sequence number of the write it
 * came from), the reverse index from object key to files, and committing the winners to the store. When several
 * files define the same object the one that last wrote a new version of it wins; when that file stops defining it (edited or removed), the
 * version another file still holds takes over, without that file being read again. Changes are collected and
 * committed together, so an object moved from one file to another is never deleted in between.
 */
import type { KubeObject } from '../../api/types.ts';
import type { Store } from '../../store/store.ts';

export interface Provided {
  readonly object: KubeObject;
  /** Sequence number of the write this version came from; the highest wins. */
  readonly seq: number;
}

const NONE: ReadonlyMap<string, Provided> = new Map();

export class Ledger {
  readonly #byFile = new Map<string, ReadonlyMap<string, Provided>>();
  readonly #byKey = new Map<string, Set<string>>();
  readonly #touched = new Set<string>();
  #seq = 0;

  /** A new sequence number, for a write about to be recorded. */
  nextSeq(): number {
    return ++this.#seq;
  }

  /** The objects a file provides now, by key. */
  of(file: string): ReadonlyMap<string, Provided> {
    return this.#byFile.get(file) ?? NONE;
  }

  /** Replaces what a file provides. */
  set(file: string, objects: ReadonlyMap<string, Provided>): void {
    this.#withdraw(file);
    if (objects.size === 0) return;
    this.#byFile.set(file, objects);
    for (const key of objects.keys()) {
      let files = this.#byKey.get(key);
      if (!files) {
        files = new Set();
        this.#byKey.set(key, files);
      }
      files.add(file);
      this.#touched.add(key);
    }
  }

  /** Forgets a file: its objects fall back to other files' versions, or go. */
  delete(file: string): void {
    this.#withdraw(file);
  }

  /** The version in force for a key: the latest write among the files that define it. */
  winner(key: string): Provided | undefined {
    let best: Provided | undefined;
    for (const file of this.#byKey.get(key) ?? []) {
      const p = this.#byFile.get(file)?.get(key);
      if (p && (!best || p.seq > best.seq)) best = p;
    }
    return best;
  }

  /** Writes the winner of every key changed since the last commit to the store (or deletes it), in key order. */
  commit(store: Store): void {
    const keys = [...this.#touched].sort();
    this.#touched.clear();
    for (const key of keys) {
      const win = this.winner(key);
      if (win) store.upsert(win.object);
      else store.delete(key);
    }
  }

  #withdraw(file: string): void {
    const prev = this.#byFile.get(file);
    if (!prev) return;
    this.#byFile.delete(file);
    for (const key of prev.keys()) {
      const files = this.#byKey.get(key);
      files?.delete(file);
      if (files?.size === 0) this.#byKey.delete(key);
      this.#touched.add(key);
    }
  }
}
