/**
 * The archway command as a user runs it: a child process, its output and exit code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { backendYaml, gatewayYaml, routeYaml } from './helpers/harness.ts';

const bin = new URL('../bin/archway.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 20_000 });

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'archway-cli-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('version and help', () => {
  const v = run('version');
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^archway \d+\.\d+\.\d+/);
  const h = run('help');
  assert.equal(h.status, 0);
  assert.match(h.stdout, /archway serve --config DIR/);
});

test('unknown commands and flags exit 2 with a message', () => {
  const r = run('frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  const f = run('serve', '--config', '.', '--nope');
  assert.equal(f.status, 2);
  assert.match(f.stderr, /--nope/);
});

test('validate passes a valid directory and prints conditions', () => {
  const dir = configDir({
    'gw.yaml': gatewayYaml(8080),
    'svc.yaml': backendYaml('v1', 3000),
    'route.yaml': routeYaml('r', '/', 'v1'),
  });
  const r = run('validate', dir);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ok {2}HTTPRoute default\/r/);
  assert.match(r.stdout, /Accepted=True/);
  assert.match(r.stdout, /valid$/m);
});

test('validate fails on schema errors and unresolved references, naming file, object and field', () => {
  const dir = configDir({
    'gw.yaml': gatewayYaml(8080),
    'bad.yaml': routeYaml('bad', 'relative', 'v1'),
    'dangling.yaml': routeYaml('dangling', '/', 'nowhere'),
  });
  const r = run('validate', dir);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /bad\.yaml:\d+: HTTPRoute default\/bad: spec\.rules\[0\]\.matches\[0\]\.path\.value: /);
  assert.match(r.stdout, /INVALID {2}HTTPRoute default\/dangling/);
  assert.match(r.stdout, /ResolvedRefs=False \(BackendNotFound\)/);
});
