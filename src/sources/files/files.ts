/**
 * The standalone config source: a directory of Kubernetes YAML/JSON, loaded recursively and watched.
 *
 * Owns: turning files into object upserts and deletes, and remembering which file holds which object.
 * On every filesystem event it stats the path (Envoy Gateway's file provider): a file that exists was written, one
 * that does not was removed, a directory is rescanned. A slow rescan backs the watcher up (some editors and
 * filesystems drop events). A file that fails to parse keeps its last good objects in force; an object that fails
 * validation keeps its last good version (as an API server rejecting the update would).
 */
import { type FSWatcher, watch } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { type ConfigError, decodeFile } from '../../api/decode.ts';
import type { KubeObject } from '../../api/types.ts';
import { isStoredKind, keyOf, type Store } from '../../store/store.ts';

const CONFIG_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface FileSourceOptions {
  readonly dir: string;
  readonly store: Store;
  /** Called whenever the set of current errors changes (all files). */
  readonly onErrors?: (errors: readonly ConfigError[]) => void;
  /** Fallback rescan period in ms (0 disables). */
  readonly rescanMs?: number;
}

interface FileState {
  readonly mtimeMs: number;
  readonly size: number;
  /** Keys of the objects this file currently provides. */
  readonly keys: ReadonlySet<string>;
  readonly errors: readonly ConfigError[];
}

export function isConfigFile(path: string): boolean {
  return CONFIG_EXTENSIONS.has(extname(path).toLowerCase());
}

/** Every config file below dir, sorted, skipping dot-directories. */
export async function listConfigFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  for (const e of entries) {
    if (!e.isFile() || !isConfigFile(e.name)) continue;
    const full = join(e.parentPath, e.name);
    if (
      relative(dir, full)
        .split('/')
        .some((part) => part.startsWith('.'))
    )
      continue;
    out.push(full);
  }
  return out.sort();
}

export class FileSource {
  readonly #opts: FileSourceOptions;
  readonly #files = new Map<string, FileState>();
  /** object key -> file that provides it (last writer wins when two files name the same object). */
  readonly #owners = new Map<string, string>();
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(opts: FileSourceOptions) {
    this.#opts = opts;
  }

  /** Loads every file once, then watches. Resolves after the initial load. */
  async start(): Promise<void> {
    await this.rescan();
    if (this.#closed) return;
    this.#watcher = watch(this.#opts.dir, { recursive: true }, (_event, name) => {
      if (name) this.#enqueue(() => this.#syncPath(join(this.#opts.dir, name.toString())));
      else this.#enqueue(() => this.#rescanNow());
    });
    this.#watcher.on('error', () => this.#enqueue(() => this.#rescanNow()));
    const period = this.#opts.rescanMs ?? 2000;
    if (period > 0) {
      this.#timer = setInterval(() => this.#enqueue(() => this.#rescanNow()), period);
      this.#timer.unref();
    }
  }

  close(): void {
    this.#closed = true;
    this.#watcher?.close();
    if (this.#timer) clearInterval(this.#timer);
  }

  /** Current errors of all files, sorted by file and line. */
  errors(): ConfigError[] {
    const all: ConfigError[] = [];
    for (const state of this.#files.values()) all.push(...state.errors);
    return all.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  }

  /** Rescans the whole directory (serialized with watch events). */
  rescan(): Promise<void> {
    return this.#enqueue(() => this.#rescanNow());
  }

  #enqueue(fn: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(fn, fn).catch(() => {});
    return this.#queue;
  }

  async #rescanNow(): Promise<void> {
    let files: string[];
    try {
      files = await listConfigFiles(this.#opts.dir);
    } catch {
      files = [];
    }
    const present = new Set(files);
    for (const file of [...this.#files.keys()]) if (!present.has(file)) this.#removeFile(file);
    for (const file of files) await this.#syncFile(file);
  }

  async #syncPath(path: string): Promise<void> {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(path);
    } catch {
      // Gone: a removed file, or a removed directory and everything below it.
      for (const file of [...this.#files.keys()])
        if (file === path || file.startsWith(`${path}/`)) this.#removeFile(file);
      return;
    }
    if (st.isDirectory()) return this.#rescanNow();
    if (isConfigFile(path)) await this.#syncFile(path);
  }

  async #syncFile(file: string): Promise<void> {
    let text: string;
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(file);
      const prev = this.#files.get(file);
      if (prev && prev.mtimeMs === st.mtimeMs && prev.size === st.size) return;
      text = await readFile(file, 'utf8');
    } catch {
      this.#removeFile(file);
      return;
    }
    this.#applyFile(file, text, st.mtimeMs, st.size);
  }

  #applyFile(file: string, text: string, mtimeMs: number, size: number): void {
    const display = relative(process.cwd(), file) || file;
    const { objects, errors } = decodeFile(text, display);
    const prev = this.#files.get(file);
    const syntaxBroken = objects.length === 0 && errors.some((e) => e.code === 'ARCHWAY_ERR_YAML');
    if (syntaxBroken && prev) {
      // Keep the last good objects of this file in force.
      this.#files.set(file, { ...prev, mtimeMs, size, errors });
      this.#reportErrors();
      return;
    }
    const keys = new Set<string>();
    for (const { object } of objects) {
      if (!isStoredKind(object.kind)) continue;
      const key = keyOf(object);
      keys.add(key);
      this.#owners.set(key, file);
      this.#opts.store.upsert(object as KubeObject);
    }
    // Objects that failed validation keep their previous version when this file provided them before.
    for (const e of errors) {
      const key = e.key;
      if (key && prev?.keys.has(key) && this.#opts.store.has(key)) keys.add(key);
    }
    for (const key of prev?.keys ?? []) if (!keys.has(key)) this.#release(key, file);
    this.#files.set(file, { mtimeMs, size, keys, errors });
    this.#reportErrors();
  }

  #removeFile(file: string): void {
    const prev = this.#files.get(file);
    if (!prev) return;
    this.#files.delete(file);
    for (const key of prev.keys) this.#release(key, file);
    this.#reportErrors();
  }

  #release(key: string, file: string): void {
    if (this.#owners.get(key) !== file) return;
    this.#owners.delete(key);
    this.#opts.store.delete(key);
  }

  #reportErrors(): void {
    this.#opts.onErrors?.(this.errors());
  }
}
