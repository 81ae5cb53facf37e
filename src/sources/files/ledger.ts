/**
 * Which file provides which object, and which file's version is in force.
 *
 * Owns: for every file, the objects it currently provides (each stamped with the sequence number of the write it
 * came from), the reverse index from object key to files, and committing the winners to the store. When several
 * files define the same object the one that last wrote a new version of it wins; when that file stops defining it (edited or removed), the
 * version another file still holds takes over, without that file being read again. Changes are collected and
 * committed together, so an object moved from one file to another is never deleted in between.
 *
 * Once a file's version of an object is in the store, the ledger keeps the store's object in its place (one copy of
 * each object, not two): it is the same configuration, with the metadata the store sets.
 */
import type { KubeObject } from '../../api/types.ts';
import type { Store } from '../../store/store.ts';

export interface Provided {
  /** As decoded, or the store's object once this version was committed (the same but for server-set metadata). */
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
  readonly #byFile = new Map<string, Map<string, Provided>>();
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

  /** Replaces what a file provides (the ledger takes `objects` over). */
  set(file: string, objects: Map<string, Provided>): void {
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
    return this.#winning(key)?.[1];
  }

  /**
   * Writes the winner of every key changed since the last commit to the store (or deletes it), in key order, and
   * keeps the store's object in the winner's place.
   */
  commit(store: Store): void {
    const keys = [...this.#touched].sort();
    this.#touched.clear();
    for (const key of keys) {
      const win = this.#winning(key);
      if (!win) {
        store.delete(key);
        continue;
      }
      const [objects, provided] = win;
      store.upsert(provided.object);
      const stored = store.get(key);
      if (stored && stored !== provided.object) objects.set(key, { object: stored, seq: provided.seq });
    }
  }

  /** The version in force for a key, with the objects of the file that provides it. */
  #winning(key: string): [Map<string, Provided>, Provided] | undefined {
    let best: [Map<string, Provided>, Provided] | undefined;
    for (const file of filesOf(this.#byKey.get(key))) {
      const objects = this.#byFile.get(file);
      const p = objects?.get(key);
      if (objects && p && (!best || p.seq > best[1].seq)) best = [objects, p];
    }
    return best;
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
