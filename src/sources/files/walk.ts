/**
 * Which files under a config directory are configuration.
 *
 * Owns: the naming rules (a *.yaml, *.yml or *.json file; nothing whose path below the root has a component starting
 * with a dot, so editor swap and temp files such as `.foo.yaml.swp` and directories such as `.git` are never read) and
 * the recursive walk that applies them. Symbolic links to files are followed (a Kubernetes ConfigMap volume is made
 * of them); symbolic links to directories are not, so the walk cannot loop.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

const CONFIG_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export function isConfigFile(path: string): boolean {
  return CONFIG_EXTENSIONS.has(extname(path).toLowerCase());
}

/** Whether a path relative to the config root is ignored: some component of it starts with a dot. */
export function isIgnored(rel: string): boolean {
  return rel.split(sep).some((part) => part.startsWith('.'));
}

/**
 * Every config file below dir, sorted. `root` is the config root the ignore rule is relative to (dir itself when
 * omitted). A subdirectory that vanishes during the walk is skipped; an unreadable dir throws.
 */
export async function listConfigFiles(dir: string, root: string = dir): Promise<string[]> {
  const out: string[] = [];
  const pending = [dir];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const entries = await readEntries(next, next === dir);
    for (const e of entries) {
      const full = join(next, e.name);
      if (isIgnored(relative(root, full))) continue;
      if (e.isDirectory()) pending.push(full);
      else if (isConfigFile(e.name) && (e.isFile() || (e.isSymbolicLink() && (await isFileTarget(full))))) {
        out.push(full);
      }
    }
  }
  return out.sort();
}

async function readEntries(dir: string, mustExist: boolean): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (!mustExist && isGone(err)) return [];
    throw err;
  }
}

async function isFileTarget(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false; // a dangling link
  }
}

/** Whether an fs error says the path is not there (any more). */
export function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
