/**
 * archway serve --workers N as a user runs it: the flag is checked, the workers serve, SIGTERM stops them all.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { backendYaml, freePort, gatewayYaml, get, routeYaml, startEcho } from './helpers/harness.ts';

const bin = new URL('../bin/archway.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'archway-workers-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('--workers must be a whole number from 1', () => {
  for (const bad of ['0', '-1', 'two', '1.5']) {
    const r = spawnSync(process.execPath, [bin, 'serve', '--config', dir, '--workers', bad], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /--workers/);
  }
});

test('serve --workers 2 serves from two processes and SIGTERM stops them all', async () => {
  const echo = await startEcho('v1');
  after(() => echo.server.close());
  const port = await freePort();
  writeFileSync(join(dir, 'gw.yaml'), gatewayYaml(port));
  writeFileSync(join(dir, 'svc.yaml'), backendYaml('v1', echo.port));
  writeFileSync(join(dir, 'route.yaml'), routeYaml('r', '/', 'v1'));
  const child = spawn(process.execPath, [bin, 'serve', '--config', dir, '--admin', '127.0.0.1:0', '--workers', '2'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  after(() => child.kill('SIGKILL'));
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${log}`)), 15_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      log += chunk;
      if (!log.includes(' ready: ')) return;
      clearTimeout(timer);
      resolve();
    });
  });
  const pids = (/worker processes \(pids (\d+), (\d+)\)/.exec(log) ?? []).slice(1).map(Number);
  assert.equal(pids.length, 2, log);
  assert.ok(pids.every(alive));
  const r = await get(port, '/');
  assert.equal(r.status, 200, r.body);
  assert.equal((JSON.parse(r.body) as { backend: string }).backend, 'v1');
  // The command's admin API counts its reconciles (the serve wiring, not only the in-process harness's).
  const adminPort = Number(/admin API on http:\/\/127\.0\.0\.1:(\d+)\//.exec(log)?.[1]);
  const metrics = (await get(adminPort, '/metrics')).body;
  assert.match(metrics, /^archway_reconcile_duration_seconds_count [1-9]/m);
  child.kill('SIGTERM');
  assert.equal(await exited, 0, log);
  assert.deepEqual(pids.filter(alive), [], 'no worker outlives the primary');
});
