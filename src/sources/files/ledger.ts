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

/** The files defining one key: the file itself in the common case of one (a Set per key costs ~150 bytes). */
type Files = string | Set<string>;

function filesOf(files: Files | undefined): Iterable<string> {
  return files === undefined ? [] : typeof files === 'string' ? [files] : files;
}

export class Ledger {
  readonly #byFile = new Map<string, ReadonlyMap<string, Provided>>();
  readonly #byKey = new Map<string, Files>();
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
      const files = this.#byKey.get(key);
      if (files === undefined || files === file) this.#byKey.set(key, file);
      else if (typeof files === 'string') this.#byKey.set(key, new Set([files, file]));
      else files.add(file);
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
    for (const file of filesOf(this.#byKey.get(key))) {
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
      if (files === file) this.#byKey.delete(key);
      else if (files !== undefined && typeof files !== 'string') {
        files.delete(file);
        if (files.size === 1) this.#byKey.set(key, files.values().next().value as string);
      }
      this.#touched.add(key);
    }
  }
}
