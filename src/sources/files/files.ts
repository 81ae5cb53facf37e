/**
 * The standalone config source: a directory of Kubernetes YAML/JSON, loaded recursively and watched.
 *
 * Owns: reading config files, turning them into object upserts and deletes (through the Ledger, which knows which
 * file provides which object), and the errors of every file. On a filesystem event it waits for the burst to settle,
 * then stats each path named (Envoy Gateway's file provider): a file that exists was written, one that does not was
 * removed, a directory is walked. The settle is short (a write reaches the store within milliseconds), so a file
 * read empty right after it was modified is taken for one caught between truncate and write: it is read again once
 * that moment has passed before its objects are withdrawn. A slow rescan backs the watcher up (some editors and filesystems drop events); it
 * skips files whose inode, size and times did not change. A file that fails to parse or read keeps its last good
 * objects in force; an object that fails validation keeps its last good version from that file (as an API server
 * rejecting the update would) while the file's other objects update.
 */
import { createHash } from 'node:crypto';
import { type BigIntStats, type FSWatcher, readFileSync, statSync, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type ConfigError, decodeFile, YAML_ERROR } from '../../api/decode.ts';
import { intern } from '../../lib/intern.ts';
import { isStoredKind, keyOf, type Store, sameInput } from '../../store/store.ts';
import { Ledger, type Provided } from './ledger.ts';
import { isConfigFile, isGone, isIgnored, listConfigFiles } from './walk.ts';

export { isConfigFile, listConfigFiles } from './walk.ts';

/** A config file or the config directory could not be read. */
export const FILE_READ_ERROR = 'ARCHWAY_ERR_FILE_READ';

export interface FileSourceOptions {
  readonly dir: string;
  readonly store: Store;
  /** Called whenever the set of current errors changes (all files). */
  readonly onErrors?: (errors: readonly ConfigError[]) => void;
  /** Fallback rescan period in ms (0 disables). */
  readonly rescanMs?: number;
  /** How long the watcher waits for a burst of events to end before reading (ms; default 3). */
  readonly settleMs?: number;
  /** The longest the watcher waits while events keep coming (ms; default 200). */
  readonly maxDelayMs?: number;
  /**
   * Called with the watch batch whose changes are about to be committed to the store, then with undefined once they
   * are (the store's change listeners run in between): lets the runtime time a change from its first event.
   */
  readonly onBatch?: (batch: WatchBatch | undefined) => void;
}

/** A burst of watch events read together (times from performance.now()). */
export interface WatchBatch {
  /** The first event of the burst arrived. */
  readonly seenAt: number;
  /** The settle timer fired (the burst was over). */
  readonly settledAt: number;
  /** Reading began (after any earlier work of the file source's queue). */
  readonly readAt: number;
  /** Paths read. */
  readonly files: number;
}

/** What a file looked like when it was read; a periodic rescan skips a file whose stamp is unchanged. */
interface Stamp {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

interface FileState {
  readonly stamp: Stamp | undefined;
  /** Wall-clock ms when it was read: a write in the same clock tick as the read leaves the stamp unchanged. */
  readonly readAtMs: number;
  /** Of the text last decoded ('' when the last read failed). */
  readonly hash: string;
  readonly errors: readonly ConfigError[];
}

/** A stamp this close (ms) to the moment the file was read is not trusted (git's "racily clean" files). */
const RACY_MS = 2000;
/** A file that had content and is read empty less than this long (ms) after it was modified is read again later. */
const TRUNCATED_MS = 100;

export class FileSource {
  readonly #opts: FileSourceOptions;
  readonly #root: string;
  readonly #files = new Map<string, FileState>();
  readonly #ledger = new Ledger();
  #rootErrors: readonly ConfigError[] = [];
  #errorsChanged = false;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #periodicQueued = false;
  readonly #dirty = new Set<string>();
  #flushTimer: NodeJS.Timeout | undefined;
  /** performance.now() of the first event of the pending burst. */
  #firstEventAt = 0;
  /** The watch batch being read (committed by #commit). */
  #batch: WatchBatch | undefined;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(opts: FileSourceOptions) {
    this.#opts = opts;
    this.#root = resolve(opts.dir);
  }

  /** Watches the directory and loads every file once. Resolves after the initial load; throws if dir is missing. */
  async start(): Promise<void> {
    this.#watcher = watch(this.#root, { recursive: true }, (_event, name) => this.#onEvent(name?.toString() ?? ''));
    this.#watcher.on('error', () => this.#onEvent(''));
    await this.rescan();
    const period = this.#opts.rescanMs ?? 2000;
    if (this.#closed || period <= 0) return;
    this.#timer = setInterval(() => this.#periodic(), period);
    this.#timer.unref();
  }

  /** Stops watching. Nothing reaches the store afterwards. */
  close(): void {
    this.#closed = true;
    this.#watcher?.close();
    if (this.#timer) clearInterval(this.#timer);
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#dirty.clear();
  }

  /** Current errors of all files, sorted by file and line. */
  errors(): ConfigError[] {
    const all: ConfigError[] = [...this.#rootErrors];
    for (const state of this.#files.values()) all.push(...state.errors);
    return all.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  }

  /** Reads every file again now and applies what changed (serialized with watch events). */
  rescan(): Promise<void> {
    return this.#enqueue(() => this.#syncTree(this.#root, true));
  }

  // -------------------------------------------------------------------------------------------- scheduling

  /** A watch event for a path relative to the root ('' when unknown: rescan everything). */
  #onEvent(name: string): void {
    if (this.#closed) return;
    // A Kubernetes ConfigMap volume swaps its `..data` link to publish an update; the files are links through it.
    if (name === '..data') name = '';
    else if (isIgnored(name)) return;
    if (this.#dirty.size === 0 && !this.#flushTimer) this.#firstEventAt = performance.now();
    this.#dirty.add(join(this.#root, name));
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    const settle = this.#opts.settleMs ?? 3;
    const wait = Math.min(settle, this.#firstEventAt + (this.#opts.maxDelayMs ?? 200) - performance.now());
    this.#flushTimer = setTimeout(() => this.#flush(), Math.max(0, wait));
  }

  #flush(): void {
    this.#flushTimer = undefined;
    const paths = [...this.#dirty].sort();
    this.#dirty.clear();
    const seenAt = this.#firstEventAt;
    const settledAt = performance.now();
    this.#enqueue(async () => {
      this.#batch = { seenAt, settledAt, readAt: performance.now(), files: paths.length };
      for (const path of paths) await this.#syncPath(path);
    }).catch(() => {});
  }

  /**
   * The fallback rescan. Looking for changes (listing and stat-ing every file) runs outside the queue, so a watch
   * event's flush never waits behind it (under load, hundreds of stat round trips take tens of ms); only the files
   * that look changed, new or gone are then synced in the queue, which re-checks each. While the root has an error,
   * or cannot be listed, the whole tree is synced in the queue instead, which reports (or clears) that error.
   */
  #periodic(): void {
    if (this.#periodicQueued) return;
    this.#periodicQueued = true;
    void this.#changedSinceRead().then((changed) => {
      this.#periodicQueued = false;
      if (this.#closed || (changed !== null && changed.length === 0)) return;
      this.#enqueue(async () => {
        if (changed === null) return this.#syncTree(this.#root, false);
        for (const path of changed) await this.#syncPath(path);
      }).catch(() => {});
    });
  }

  /** Files whose stamp differs from when they were read, new files and tracked files no longer listed; null: sync all. */
  async #changedSinceRead(): Promise<string[] | null> {
    if (this.#rootErrors.length > 0) return null;
    let files: string[];
    try {
      files = await listConfigFiles(this.#root, this.#root);
    } catch {
      return null;
    }
    const changed: string[] = [];
    for (const file of files) {
      const prev = this.#files.get(file);
      if (prev === undefined) {
        changed.push(file);
        continue;
      }
      try {
        if (!isFresh(prev, await stat(file, { bigint: true }))) changed.push(file);
      } catch {
        changed.push(file); // gone since it was listed: the sync removes it
      }
    }
    const listed = new Set(files);
    for (const file of this.#files.keys()) if (!listed.has(file)) changed.push(file);
    return changed;
  }

  /** Runs fn after everything queued before it, then commits what it changed (rejects if a store listener throws). */
  #enqueue(fn: () => Promise<void>): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.#closed) return;
      try {
        await fn();
      } catch {
        // Unexpected (every fs error is handled where it happens): the next event or rescan tries again.
      }
      this.#commit();
    };
    const done = this.#queue.then(run);
    this.#queue = done.catch(() => {}); // a throwing store listener must not stop later work
    return done;
  }

  #commit(): void {
    const batch = this.#batch;
    this.#batch = undefined;
    if (this.#closed) return;
    const onBatch = this.#opts.onBatch;
    if (batch !== undefined && onBatch !== undefined) {
      onBatch(batch);
      try {
        this.#ledger.commit(this.#opts.store);
      } finally {
        onBatch(undefined);
      }
    } else {
      this.#ledger.commit(this.#opts.store);
    }
    if (!this.#errorsChanged) return;
    this.#errorsChanged = false;
    this.#opts.onErrors?.(this.errors());
  }

  // -------------------------------------------------------------------------------------------- reading

  async #syncPath(path: string): Promise<void> {
    if (path === this.#root) return this.#syncTree(path, true);
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = statSync(path); // sync: see #syncFile
    } catch (err) {
      // Gone: a removed file, or a removed directory and everything below it.
      if (isGone(err)) this.#removeBelow(path, new Set());
      return;
    }
    if (st.isDirectory()) return this.#syncTree(path, true);
    this.#removeBelow(`${path}${sep}`, new Set()); // a directory replaced by a file
    if (isConfigFile(path)) await this.#syncFile(path, true);
  }

  /** Syncs every config file below dir, and forgets tracked files there that are gone. */
  async #syncTree(dir: string, force: boolean): Promise<void> {
    let files: string[];
    try {
      files = await listConfigFiles(dir, this.#root);
    } catch (err) {
      // An unreadable root keeps everything in force (and says so); a vanished subdirectory takes its files along.
      if (dir === this.#root) this.#setRootError(err);
      else if (isGone(err)) this.#removeBelow(dir, new Set());
      return;
    }
    if (dir === this.#root) this.#setRootError(undefined);
    this.#removeBelow(dir, new Set(files));
    for (const file of files) await this.#syncFile(file, force);
  }

  /** Reads a file unless `force` is false and its stamp says it did not change; applies it if its text changed. */
  async #syncFile(file: string, force: boolean): Promise<void> {
    const prev = this.#files.get(file);
    const readAtMs = Date.now();
    let st: BigIntStats;
    let text: string;
    try {
      // Sync on purpose: a config file is small and local, and each async fs call is a thread-pool round trip that
      // waits for a turn of an event loop busy with traffic — under load, 5–150 ms per change instead of microseconds.
      st = statSync(file, { bigint: true });
      if (!st.isFile()) return this.#removeFile(file);
      if (!force && prev && isFresh(prev, st)) return;
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if (isGone(err)) this.#removeFile(file);
      else this.#readFailed(file, err, readAtMs);
      return;
    }
    if (
      text.length === 0 &&
      prev &&
      prev.hash !== EMPTY_HASH &&
      readAtMs - Number(st.mtimeNs / 1_000_000n) < TRUNCATED_MS
    ) {
      // Probably caught between a truncate and the write that follows: look again when the writer is done.
      setTimeout(() => this.#onEvent(relative(this.#root, file)), TRUNCATED_MS).unref();
      return;
    }
    const stamp = { ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs };
    const hash = createHash('sha256').update(text).digest('hex');
    if (prev && prev.hash === hash) {
      this.#files.set(file, { ...prev, stamp, readAtMs });
      return;
    }
    this.#applyFile(file, text, { stamp, readAtMs, hash, errors: [] });
  }

  /** Decodes a file's text into the ledger; `state` comes without the decode errors, which this adds. */
  #applyFile(file: string, text: string, state: FileState): void {
    const { objects, errors } = decodeFile(text, displayName(file));
    if (!errors.some((e) => e.code === YAML_ERROR)) {
      // A syntax error leaves the ledger alone: the file's last good objects stay in force.
      const prev = this.#ledger.of(file);
      const seq = this.#ledger.nextSeq();
      const next = new Map<string, Provided>();
      for (const { object } of objects) {
        if (!isStoredKind(object.kind)) continue;
        // An object the write left as it was (for the store) keeps its old sequence number: it was not written now.
        const key = intern(keyOf(object)); // the same string as the store's key
        const same = prev.get(key);
        next.set(key, same && sameInput(same.object, object) ? same : { object, seq });
      }
      for (const { key } of errors) {
        const kept = key === undefined || next.has(key) ? undefined : prev.get(key);
        if (key !== undefined && kept) next.set(key, kept);
      }
      this.#ledger.set(file, next);
    }
    this.#setState(file, { ...state, errors });
  }

  #readFailed(file: string, err: unknown, readAtMs: number): void {
    const message = `cannot read file: ${err instanceof Error ? err.message : String(err)}`;
    const errors = [{ file: displayName(file), line: 1, message, code: FILE_READ_ERROR }];
    this.#setState(file, { stamp: undefined, readAtMs, hash: '', errors });
  }

  #setRootError(err: unknown): void {
    const message = `cannot read config directory: ${err instanceof Error ? err.message : String(err)}`;
    const errors =
      err === undefined ? [] : [{ file: displayName(this.#root), line: 1, message, code: FILE_READ_ERROR }];
    if (isDeepStrictEqual(errors, this.#rootErrors)) return;
    this.#rootErrors = errors;
    this.#errorsChanged = true;
  }

  #setState(file: string, state: FileState): void {
    if (!isDeepStrictEqual(this.#files.get(file)?.errors ?? [], state.errors)) this.#errorsChanged = true;
    this.#files.set(file, state);
  }

  /** Forgets tracked files equal to or below `path` that are not in `keep`. */
  #removeBelow(path: string, keep: ReadonlySet<string>): void {
    const prefix = path.endsWith(sep) ? path : `${path}${sep}`;
    for (const file of [...this.#files.keys()]) {
      if ((file === path || file.startsWith(prefix)) && !keep.has(file)) this.#removeFile(file);
    }
  }

  #removeFile(file: string): void {
    const prev = this.#files.get(file);
    if (!prev) return;
    this.#files.delete(file);
    this.#ledger.delete(file);
    if (prev.errors.length > 0) this.#errorsChanged = true;
  }
}

const EMPTY_HASH = createHash('sha256').update('').digest('hex');

/** Whether a file's stamp shows it unchanged since it was read (and was not read in the tick it was written). */
function isFresh(prev: FileState, st: BigIntStats): boolean {
  const s = prev.stamp;
  if (!s || s.ino !== st.ino || s.size !== st.size || s.mtimeNs !== st.mtimeNs || s.ctimeNs !== st.ctimeNs) {
    return false;
  }
  return prev.readAtMs - Number(st.mtimeNs / 1_000_000n) > RACY_MS;
}

/** The file as errors name it: relative to the working directory when below it, else absolute. */
function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? file : rel;
}
