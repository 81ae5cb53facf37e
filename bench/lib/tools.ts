/**
 * The external tools a run needs (nginx, haproxy, wrk, h2load, taskset), how to get them, and their versions.
 *
 * Owns: the preflight check. Everything comes from Debian's packages; the harness installs nothing by itself
 * unless asked to (`--install`, as root), and otherwise prints the exact command.
 */
import { execFileSync, spawnSync } from 'node:child_process';

interface Tool {
  readonly command: string;
  readonly pkg: string;
  readonly version: readonly string[];
}

const TOOLS: readonly Tool[] = [
  { command: 'nginx', pkg: 'nginx', version: ['-v'] },
  { command: 'haproxy', pkg: 'haproxy', version: ['-v'] },
  { command: 'wrk', pkg: 'wrk', version: ['--version'] },
  { command: 'h2load', pkg: 'nghttp2-client', version: ['--version'] },
  { command: 'taskset', pkg: 'util-linux', version: ['--version'] },
  { command: 'openssl', pkg: 'openssl', version: ['version'] },
];

export function whichPath(command: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path ? path : undefined;
}

export function missingTools(): readonly Tool[] {
  return TOOLS.filter((t) => !whichPath(t.command));
}

export function installCommand(missing: readonly Tool[]): string {
  const pkgs = [...new Set(missing.map((t) => t.pkg))].sort().join(' ');
  return `apt-get update && apt-get install -y ${pkgs}`;
}

/** Checks the tools; installs them when `install` is set and we are root; returns an error message or undefined. */
export function ensureTools(install: boolean): string | undefined {
  let missing = missingTools();
  if (missing.length === 0) return undefined;
  const cmd = installCommand(missing);
  if (install && process.getuid?.() === 0) {
    process.stderr.write(`bench: installing: ${cmd}\n`);
    const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit', timeout: 600_000 });
    missing = missingTools();
    if (r.status === 0 && missing.length === 0) return undefined;
  }
  const names = missing.map((t) => t.command).join(', ');
  const sudo = process.getuid?.() === 0 ? '' : 'sudo sh -c ';
  const shown = sudo ? `${sudo}'${installCommand(missing)}'` : installCommand(missing);
  return `missing: ${names}\nInstall them (Debian/Ubuntu) with:\n  ${shown}\nor run: node bench/run.ts --install (as root)`;
}

/** One line per tool: its version as it reports it. */
export function toolVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of TOOLS) {
    try {
      const r = spawnSync(t.command, t.version, { encoding: 'utf8', timeout: 5000 });
      out[t.command] = `${r.stdout}${r.stderr}`.split('\n')[0]!.trim();
    } catch {
      out[t.command] = 'unknown';
    }
  }
  return out;
}

export function cpuModel(): string {
  try {
    const text = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo"], { encoding: 'utf8' });
    return text.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
