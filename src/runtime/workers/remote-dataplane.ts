/**
 * The multi-process data plane (archway serve --workers N): the same apply/warnings/close as Dataplane, carried out by
 * N forked worker processes (worker-main.ts), each a full Dataplane whose listeners bind with SO_REUSEPORT, so the
 * kernel spreads connections among them and the primary stays out of the request path.
 *
 * Owns: the worker processes. Each IR goes to every live worker over IPC; the reports are merged (a listener is bound
 * only if every worker bound it). A worker that exits is restarted (after a backoff when it keeps dying) and gets the
 * current IR; a worker that is restarting is left out of the report of an apply, which it picks up when it is back.
 * Metrics batches go to the WorkerMetrics. close() tells every worker to drain and waits for them to exit.
 *
 * child_process.fork rather than node:cluster: with SO_REUSEPORT each worker binds its own sockets, so cluster's one
 * service it adds (sharing a listening handle through the primary) is not needed, and plain processes keep the IPC
 * explicit (our messages only) and the workers free of cluster's listen() rewiring.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApplyReport } from '../../dataplane/dataplane.ts';
import type { IR } from '../../ir/types.ts';
import { IrEncoder } from './codec.ts';
import { mergeReports } from './merge.ts';
import { type FromWorker, isFromWorker, type ToWorker } from './protocol.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

export interface RemoteDataplaneOptions {
  readonly workers: number;
  readonly metrics?: WorkerMetrics;
  readonly log?: (line: string) => void;
  /** How long close() waits for a worker to drain and exit before killing it. */
  readonly closeTimeoutMs?: number;
}

const RESTART_MIN_MS = 100;
const RESTART_MAX_MS = 5000;
/** A worker that lived this long before exiting restarts without backoff. */
const STABLE_MS = 10_000;
/** Node flags the workers inherit: not the test runner's, nor a debugger's (its port cannot be shared). */
const EXEC_ARGV = process.execArgv.filter((a) => !a.startsWith('--test') && !a.startsWith('--inspect'));
const ENTRY = fileURLToPath(new URL(`./worker-main${extname(import.meta.url)}`, import.meta.url));

interface Pending {
  readonly resolve: (m: FromWorker & { type: 'applied' | 'apply-failed' }) => void;
  readonly reject: (err: Error) => void;
}

/** One worker slot: the process now in it (replaced when it exits), its pending applies. */
class Slot {
  readonly index: number;
  child: ChildProcess | null = null;
  alive = false;
  startedAt = 0;
  backoffMs = RESTART_MIN_MS;
  /** What the process in this slot has been sent (a new process starts with nothing). */
  encoder = new IrEncoder();
  readonly pending = new Map<number, Pending>();

  constructor(index: number) {
    this.index = index;
  }

  send(message: ToWorker): void {
    if (this.child?.connected) this.child.send(message);
  }
}

export class RemoteDataplane {
  readonly #opts: RemoteDataplaneOptions;
  readonly #slots: Slot[];
  #ir: IR | undefined;
  #seq = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #warnings: readonly string[] = [];
  #restarts = 0;
  #closed = false;

  private constructor(opts: RemoteDataplaneOptions) {
    this.#opts = opts;
    this.#slots = Array.from({ length: opts.workers }, (_, i) => new Slot(i));
  }

  /** Forks the workers and resolves once each is ready for its first IR. */
  static async start(opts: RemoteDataplaneOptions): Promise<RemoteDataplane> {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new RangeError('workers must be an integer >= 1');
    const dp = new RemoteDataplane(opts);
    await Promise.all(dp.#slots.map((s) => dp.#spawn(s)));
    return dp;
  }

  apply(ir: IR): Promise<ApplyReport> {
    const run = this.#queue.then(() => this.#apply(ir));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Routes and certificates the workers dropped in their last apply, with reasons. */
  warnings(): readonly string[] {
    return this.#warnings;
  }

  /** The process ids of the live workers, by slot (0 for a slot that is restarting). */
  get pids(): readonly number[] {
    return this.#slots.map((s) => (s.alive ? (s.child?.pid ?? 0) : 0));
  }

  /** How many times a worker was restarted. */
  get restarts(): number {
    return this.#restarts;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    await Promise.all(this.#slots.map((s) => this.#stop(s)));
  }

  async #apply(ir: IR): Promise<ApplyReport> {
    if (this.#closed) throw new Error('dataplane is closed');
    this.#ir = ir;
    const live = this.#slots.filter((s) => s.alive);
    const replies = await Promise.all(live.map((s) => this.#applyTo(s, ir).catch(() => null)));
    const reports: ApplyReport[] = [];
    const warnings = new Set<string>();
    for (const r of replies) {
      if (r === null) continue; // the worker exited meanwhile: it gets the IR when it is back
      if (r.type === 'apply-failed') throw new Error(r.error);
      reports.push(r.report);
      for (const w of r.warnings) warnings.add(w);
    }
    this.#warnings = [...warnings].sort();
    return mergeReports(reports);
  }

  #applyTo(slot: Slot, ir: IR): Promise<FromWorker & { type: 'applied' | 'apply-failed' }> {
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      slot.pending.set(seq, { resolve, reject });
      slot.send({ type: 'apply', seq, ir: slot.encoder.encode(ir) });
    });
  }

  /** Forks the process of a slot; resolves when it is ready for an IR (or has exited already). */
  #spawn(slot: Slot): Promise<void> {
    const child = fork(ENTRY, [], {
      execArgv: EXEC_ARGV,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    slot.child = child;
    slot.encoder = new IrEncoder();
    slot.startedAt = performance.now();
    return new Promise((resolve) => {
      child.on('message', (m) => {
        if (!isFromWorker(m)) return;
        if (m.type === 'ready') {
          slot.alive = true;
          resolve();
        } else if (m.type === 'metrics') this.#opts.metrics?.update(slot.index, m.snapshot);
        else this.#settle(slot, m);
      });
      child.on('error', (err) => this.#opts.log?.(`worker ${slot.index}: ${err.message}`));
      child.once('exit', (code, signal) => {
        this.#exited(slot, child, code, signal);
        resolve();
      });
    });
  }

  #settle(slot: Slot, m: FromWorker & { type: 'applied' | 'apply-failed' }): void {
    const p = slot.pending.get(m.seq);
    slot.pending.delete(m.seq);
    p?.resolve(m);
  }

  #exited(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.child !== child) return;
    slot.alive = false;
    slot.child = null;
    this.#opts.metrics?.retire(slot.index);
    for (const p of slot.pending.values()) p.reject(new Error(`worker ${slot.index} exited`));
    slot.pending.clear();
    if (this.#closed) return;
    const lived = performance.now() - slot.startedAt;
    if (lived > STABLE_MS) slot.backoffMs = RESTART_MIN_MS;
    const delay = slot.backoffMs;
    slot.backoffMs = Math.min(slot.backoffMs * 2, RESTART_MAX_MS);
    this.#opts.log?.(
      `worker ${slot.index} (pid ${child.pid}) exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`,
    );
    setTimeout(() => void this.#restart(slot), delay);
  }

  async #restart(slot: Slot): Promise<void> {
    if (this.#closed) return;
    this.#restarts++;
    await this.#spawn(slot);
    if (!slot.alive) return; // it died again at once; its exit scheduled the next try
    this.#queue = this.#queue.then(() => this.#catchUp(slot)).catch(() => undefined);
  }

  /** Applies the current IR to a worker that just (re)started, logging what it could not bind. */
  async #catchUp(slot: Slot): Promise<void> {
    const ir = this.#ir;
    if (ir === undefined || !slot.alive || this.#closed) return;
    const r = await this.#applyTo(slot, ir);
    if (r.type === 'apply-failed') return this.#opts.log?.(`worker ${slot.index}: apply failed: ${r.error}`);
    for (const [name, result] of Object.entries(r.report)) {
      if (typeof result !== 'string') this.#opts.log?.(`worker ${slot.index}: listener ${name}: ${result.error}`);
    }
  }

  /** Asks a worker to drain and exit; kills it if it has not exited in time. */
  #stop(slot: Slot): Promise<void> {
    const child = slot.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), this.#opts.closeTimeoutMs ?? 35_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      if (child.connected) child.send({ type: 'close' } satisfies ToWorker);
      else child.kill('SIGTERM');
    });
  }
}
