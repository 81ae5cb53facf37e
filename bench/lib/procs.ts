/**
 * Child processes of a benchmark run: spawning (optionally pinned to a core with taskset), waiting, and killing
 * every one of them at the end, on error and on SIGINT/SIGTERM.
 *
 * Owns: the registry of live children. Each child is spawned detached, so it leads its own process group and
 * `kill(-pid)` also reaches the workers it forks (nginx). Nothing else in bench/ calls `spawn` directly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly proc: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Everything the process wrote to stdout (kept in memory; bench tools print little). */
  stdout(): string;
  stderr(): string;
  /** False once the process has exited. */
  alive(): boolean;
}

/** One core, or a `taskset -c` list ("1,2"). */
export type Cores = number | string;

export interface SpawnOptions {
  /** Pin to this CPU core, or these (a `taskset -c` list such as "1,2"). */
  readonly core?: Cores;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Also append stdout/stderr to this file. */
  readonly logFile?: string;
  /** Kill the process (SIGKILL to its group) after this long; every child has a bound. */
  readonly timeoutMs: number;
}

const live = new Map<number, Child>();
let hooked = false;

export function spawnChild(name: string, command: string, args: readonly string[], opts: SpawnOptions): Child {
  hookCleanup();
  const [cmd, argv] =
    opts.core === undefined ? [command, args] : ['taskset', ['-c', String(opts.core), command, ...args]];
  const proc = spawn(cmd, argv, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`${name}: could not spawn ${command}`);
  const out: string[] = [];
  const err: string[] = [];
  const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => {
    if (out.length < 10_000) out.push(d);
    log?.write(d);
  });
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => {
    if (err.length < 10_000) err.push(d);
    log?.write(d);
  });
  const pid = proc.pid;
  const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), opts.timeoutMs);
  timer.unref();
  const exited = new Promise<number | string>((resolve) => {
    proc.once('error', () => resolve('spawn-error'));
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(pid);
      log?.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const child: Child = {
    name,
    pid,
    proc,
    exited,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    alive: () => live.has(pid),
  };
  live.set(pid, child);
  return child;
}

/** Sends a signal to the child's process group; returns once it has exited (SIGKILL after graceMs). */
export async function stopChild(child: Child, signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
  if (!live.has(child.pid)) return;
  signal === 'SIGINT' ? kill(child.pid, signal) : killGroup(child.pid, signal);
  const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(t);
  killGroup(child.pid, 'SIGKILL'); // workers a master left behind
}

/** Kills every child still alive, synchronously (usable from 'exit' handlers). */
export function killAll(): void {
  for (const pid of live.keys()) killGroup(pid, 'SIGKILL');
  live.clear();
}

export function liveChildren(): readonly Child[] {
  return [...live.values()];
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    kill(pid, signal);
  }
}

function hookCleanup(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\nbench: ${sig}: stopping ${live.size} child process(es)\n`);
      killAll();
      process.exit(130);
    });
  }
}
