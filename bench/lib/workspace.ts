/**
 * The run's scratch directory (configs, Lua scripts, logs), created under the OS temp dir and removed at exit.
 *
 * Owns: its lifetime. It is world-readable (0755) because nginx workers may run as another user and read from it.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Workspace {
  readonly root: string;
  /** A fresh subdirectory (also 0755). */
  dir(name: string): string;
}

export function createWorkspace(keep: boolean): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'archway-bench-'));
  chmodSync(root, 0o755);
  if (!keep) process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  else process.stderr.write(`bench: keeping scratch files in ${root}\n`);
  return {
    root,
    dir(name: string): string {
      const d = join(root, name);
      mkdirSync(d, { recursive: true, mode: 0o755 });
      chmodSync(d, 0o755);
      return d;
    },
  };
}
