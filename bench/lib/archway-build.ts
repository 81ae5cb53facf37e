/**
 * What the bench runs as Archway: the compiled JavaScript of the published package, as a user runs it in production
 * (`npm run build`, then `node dist/cli/main.js`), not the TypeScript sources through Node's type stripping (which
 * costs ~30 MB of memory and ~200 ms at start for the stripping and the source maps of every module). The checkout's
 * dist/ is built once per bench run, before the first Archway starts; ARCHWAY_BENCH_FROM=src runs the sources
 * instead (bin/archway.js in a checkout), to compare.
 *
 * Owns: building dist/ and the command line that starts Archway.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ArchwayEntry {
  /** The script node runs, relative to the checkout. */
  readonly script: string;
  /** One line for the bench output saying what runs. */
  readonly describe: string;
  /** The Node flags the checkout's `archway` command runs with (its bin/archway.js `#!/usr/bin/env -S node ...`). */
  readonly nodeFlags: readonly string[];
}

/** The flags on the `#!/usr/bin/env -S node FLAGS` line of the checkout's bin/archway.js (none for a plain `node`). */
export function launcherFlags(root: string): string[] {
  const first = readFileSync(join(root, 'bin', 'archway.js'), 'utf8').split('\n')[0] ?? '';
  const m = /^#!\/usr\/bin\/env(?: -S)? node((?: \S+)*)\s*$/.exec(first);
  return m?.[1] ? m[1].trim().split(' ') : [];
}

const built = new Map<string, ArchwayEntry>();

function stamp(line: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** The entry to run for the checkout at `root`; the first call per root builds dist/ (synchronously, ~5-10 s). */
export function archwayEntry(root: string): ArchwayEntry {
  const known = built.get(root);
  if (known !== undefined) return known;
  let entry: ArchwayEntry;
  if (process.env.ARCHWAY_BENCH_FROM === 'src') {
    entry = {
      script: 'bin/archway.js',
      describe: 'archway runs its TypeScript sources (ARCHWAY_BENCH_FROM=src)',
      nodeFlags: launcherFlags(root),
    };
  } else {
    const t = performance.now();
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    if (!existsSync(tsc)) throw new Error(`cannot build Archway: ${tsc} is missing (run npm install in ${root})`);
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const s = ((performance.now() - t) / 1000).toFixed(1);
    const nodeFlags = launcherFlags(root);
    entry = {
      script: 'dist/cli/main.js',
      describe: `archway runs the compiled dist/ (npm run build, ${s} s): node ${[...nodeFlags, ''].join(' ')}dist/cli/main.js serve`,
      nodeFlags,
    };
  }
  stamp(entry.describe);
  built.set(root, entry);
  return entry;
}
