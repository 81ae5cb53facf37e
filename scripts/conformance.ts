/**
 * The conformance ratchet: runs the Gateway API conformance runner (../shared/conformance, when present) on the
 * tests listed in conformance/ratchet.txt, which must all pass. The list only grows: add a test once it passes.
 *
 *   node scripts/conformance.ts            run the ratchet (skips with a notice when ../shared is absent)
 *   node scripts/conformance.ts --all      run everything Archway claims, report only (never fails the build)
 *   extra arguments are passed to the runner (e.g. -v, --keep)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runner = resolve(root, '..', 'shared', 'conformance', 'run');

if (!existsSync(runner)) {
  console.log(`conformance: ${runner} not found; skipping the conformance ratchet`);
  process.exit(0);
}

const args = process.argv.slice(2);
const all = args.includes('--all');
const passThrough = args.filter((a) => a !== '--all');
const ratchet = readFileSync(join(root, 'conformance', 'ratchet.txt'), 'utf8')
  .split('\n')
  .map((l) => l.replace(/#.*/, '').trim())
  .filter(Boolean);

const runnerArgs = ['--cmd', `node ${join(root, 'bin', 'archway.js')}`, ...passThrough];
if (!all) runnerArgs.push('--only', ratchet.join(','));
console.log(`conformance: ${all ? 'every claimed test' : `${ratchet.length} ratchet tests`}`);
// The runner runs on the machine's own Node (it installs its own dependencies); Archway runs on ours.
const result = spawnSync(runner, runnerArgs, { cwd: root, stdio: 'inherit' });
if (all) process.exit(0);
process.exit(result.status ?? 1);
