/**
 * The multi-process data plane end to end: a Runtime in this process drives two forked workers that share the
 * listener's port with SO_REUSEPORT; requests over real sockets, a config edit, a killed worker, the metric totals.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  backendYaml,
  type Echo,
  freePort,
  gatewayYaml,
  get,
  routeYaml,
  startEcho,
  waitFor,
} from '../../../test/helpers/harness.ts';
import { Metrics } from '../../admin/metrics.ts';
import { createAdminServer, listenAdmin } from '../../admin/server.ts';
import { Runtime } from '../runtime.ts';
import { RemoteDataplane } from './remote-dataplane.ts';
import { WorkerMetrics } from './worker-metrics.ts';

let v1: Echo;
let v2: Echo;
let dir: string;
let port: number;
let adminPort: number;
let runtime: Runtime;
let dataplane: RemoteDataplane;
const totals = new WorkerMetrics();
const closers: (() => Promise<unknown> | unknown)[] = [];

before(async () => {
  v1 = await startEcho('v1');
  closers.push(() => v1.server.close());
  v2 = await startEcho('v2');
  closers.push(() => v2.server.close());
  dir = await mkdtemp(join(tmpdir(), 'archway-workers-'));
  closers.push(() => rm(dir, { recursive: true, force: true }));
  port = await freePort();
  await writeFile(join(dir, 'gw.yaml'), gatewayYaml(port));
  await writeFile(join(dir, 'svc.yaml'), `${backendYaml('v1', v1.port)}\n---\n${backendYaml('v2', v2.port)}`);
  await writeFile(join(dir, 'route.yaml'), routeYaml('r', '/', 'v1'));
  const metrics = new Metrics();
  totals.install(metrics.registry);
  dataplane = await RemoteDataplane.start({ workers: 2, metrics: totals, closeTimeoutMs: 5000 });
  closers.unshift(() => dataplane.close());
  runtime = new Runtime({ configDir: dir, controllerName: 'archway.dev/gateway-controller', dataplane });
  closers.unshift(() => runtime.close());
  const admin = createAdminServer({ runtime, metrics, version: 'test' });
  closers.push(() => new Promise((resolve) => admin.close(resolve)));
  adminPort = (await listenAdmin(admin, '127.0.0.1:0')).port;
  await runtime.start();
});

after(async () => {
  for (const close of closers) await close();
});

/** `n` requests, each over its own connection (so the kernel spreads them over the workers); the backends seen. */
async function backends(n: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await get(port, '/x');
    assert.equal(r.status, 200, r.body);
    seen.push((JSON.parse(r.body) as { backend: string }).backend);
  }
  return seen;
}

async function scrape(): Promise<string> {
  return (await get(adminPort, '/metrics')).body;
}

/** Sum of a metric's samples (optionally only those whose labels contain `filter`) in Prometheus text. */
function sum(text: string, name: string, filter = ''): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !line.includes(filter)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

let sent = 0;

test('a routed request succeeds, and the listener is bound in both workers', async () => {
  const results = Object.values(runtime.stats.lastApply ?? {});
  assert.equal(results.length, 1);
  assert.ok(results[0] === 'bound' || results[0] === 'kept', JSON.stringify(results));
  assert.equal(dataplane.pids.filter((p) => p > 0).length, 2);
  assert.deepEqual(await backends(1), ['v1']);
  sent += 1;
});

test('a config edit reaches both workers: every request sees the new route, and both workers served', async () => {
  const tmp = join(dir, '.route.yaml.tmp');
  await writeFile(tmp, routeYaml('r', '/', 'v2'));
  await rename(tmp, join(dir, 'route.yaml'));
  await runtime.rescan();
  assert.deepEqual(new Set(await backends(40)), new Set(['v2']));
  sent += 40;
  await waitFor(async () => {
    const text = await scrape();
    return sum(text, 'archway_worker_http_requests_total') === sent;
  });
  const text = await scrape();
  assert.ok(sum(text, 'archway_worker_http_requests_total', 'worker="0"') > 0, 'worker 0 served some');
  assert.ok(sum(text, 'archway_worker_http_requests_total', 'worker="1"') > 0, 'worker 1 served some');
  assert.equal(sum(text, 'archway_http_requests_total'), sent, 'the totals count both workers');
  assert.equal(sum(text, 'archway_http_request_duration_seconds_count'), sent);
  assert.equal(sum(text, 'archway_http_request_duration_seconds_bucket', 'le="+Inf"'), sent);
});

test('a killed worker is restarted with the current config, and traffic keeps flowing', async () => {
  const [victim] = dataplane.pids;
  assert.ok(victim !== undefined && victim > 0);
  process.kill(victim, 'SIGKILL');
  // Connections queued on the dying worker's socket are reset with it; the ones after its exit go to the other.
  await waitFor(() => dataplane.pids[0] !== victim);
  assert.deepEqual(new Set(await backends(10)), new Set(['v2']), 'the other worker serves meanwhile');
  sent += 10;
  await waitFor(() => dataplane.restarts === 1 && (dataplane.pids[0] ?? 0) > 0 && dataplane.pids[0] !== victim);
  const before = sum(await scrape(), 'archway_worker_http_requests_total', 'worker="0"');
  // The restarted worker serves once it has applied the IR: keep sending until it has served some (bounded).
  await waitFor(async () => {
    assert.deepEqual(await backends(10), Array(10).fill('v2'));
    sent += 10;
    return sum(await scrape(), 'archway_worker_http_requests_total', 'worker="0"') > before;
  }, 10_000);
  await waitFor(async () => sum(await scrape(), 'archway_http_requests_total') === sent);
});
