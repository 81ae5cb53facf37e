/**
 * Gives back the memory that loading a configuration, or a burst of changes to it, leaves behind. Decoding,
 * translating and compiling thousands of routes allocate fast enough that V8 grows its young generation to the
 * maximum (tens of MB of touched pages, nearly empty once loading is over) and leaves old-space garbage that no later
 * allocation will collect soon; V8 shrinks them only after a long idle period. One memory-reducing full collection
 * returns them: at 5,000 routes the process goes from ~180 MB to ~110 MB resident after the initial load.
 *
 * Owns: that collection. It blocks the event loop while it runs (~50 ms at 1,000 routes, ~250 ms at 5,000 on a
 * loaded core), so serve runs it at start (before /readyz can first answer) and, after config changes, only once they
 * have stopped and the process is nearly idle (runtime/churn-release.ts) — never per reconcile.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type: 'major'; execution: 'sync'; flavor?: 'last-resort' }) => void;

/** V8's gc() without starting the process with --expose-gc (benchmarks use it too, for a full GC before a reading). */
export function exposedGc(): GcFunction {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as GcFunction;
  setFlagsFromString('--no-expose-gc');
  return gc;
}

/** Runs one memory-reducing full collection; returns its duration in milliseconds. */
export function releaseMemory(): number {
  const started = performance.now();
  exposedGc()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return performance.now() - started;
}
