/**
 * End to end, over real sockets: a config directory in, traffic and status out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  backendYaml,
  type Echo,
  freePort,
  gatewayYaml,
  get,
  type Harness,
  routeYaml,
  startArchway,
  startEcho,
  waitFor,
} from './helpers/harness.ts';

describe('standalone Archway', () => {
  let v1: Echo;
  let v2: Echo;
  let port: number;
  let h: Harness;

  before(async () => {
    v1 = await startEcho('v1');
    v2 = await startEcho('v2');
    port = await freePort();
    h = await startArchway({
      'gateway.yaml': gatewayYaml(port),
      'backends.yaml': `${backendYaml('v1', v1.port)}---\n${backendYaml('v2', v2.port)}`,
      'route-a.yaml': routeYaml('a', '/a', 'v1', ['example.com']),
    });
  });
  after(async () => {
    await h.close();
    v1.server.close();
    v2.server.close();
  });

  test('routes a request to the backend the HTTPRoute names', async () => {
    const res = await get(port, '/a/x', { host: 'example.com' });
    assert.equal(res.status, 200);
    const echo = JSON.parse(res.body) as { backend: string; path: string; host: string };
    assert.equal(echo.backend, 'v1');
    assert.equal(echo.path, '/a/x');
    assert.equal(echo.host, 'example.com');
    assert.equal((await get(port, '/a', { host: 'other.com' })).status, 404, 'another host does not match');
    assert.equal((await get(port, '/b', { host: 'example.com' })).status, 404, 'another path does not match');
  });

  test('the watcher applies an edited file live, with no restart', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${h.dir}/route-w.yaml`, routeYaml('w', '/watched', 'v2'));
    await waitFor(async () => (await get(port, '/watched', { host: 'any.com' })).status === 200, 3000);
    const echo = JSON.parse((await get(port, '/watched', { host: 'any.com' })).body) as { backend: string };
    assert.equal(echo.backend, 'v2');
    const { changes } = JSON.parse((await get(h.adminPort, '/debug/changes')).body) as {
      changes: { source: string; files: number; appliedMs: number }[];
    };
    const watched = changes.findLast((c) => c.source === 'files');
    assert.ok(
      watched && watched.files >= 1 && watched.appliedMs > 0,
      `a file change timed: ${JSON.stringify(changes)}`,
    );
    const { rm } = await import('node:fs/promises');
    await rm(`${h.dir}/route-w.yaml`);
    await waitFor(async () => (await get(port, '/watched', { host: 'any.com' })).status === 404, 3000);
  });

  test('the admin API serves objects with status and observedGeneration', async () => {
    const res = await get(h.adminPort, '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/a');
    assert.equal(res.status, 200);
    const route = JSON.parse(res.body) as {
      metadata: { generation: number };
      status: { parents: { conditions: { type: string; status: string; observedGeneration: number }[] }[] };
    };
    const accepted = route.status.parents[0]?.conditions.find((c) => c.type === 'Accepted');
    assert.equal(accepted?.status, 'True');
    assert.equal(accepted?.observedGeneration, route.metadata.generation);
    assert.equal((await get(h.adminPort, '/readyz')).status, 200);
    assert.equal((await get(h.adminPort, '/healthz')).status, 200);
    const list = JSON.parse((await get(h.adminPort, '/apis/gateway.networking.k8s.io/v1/gateways')).body) as {
      kind: string;
      items: unknown[];
    };
    assert.equal(list.kind, 'GatewayList');
    assert.equal(list.items.length, 1);
    assert.equal(
      (await get(h.adminPort, '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/nope')).status,
      404,
    );
  });

  test('metrics count requests per route and backend', async () => {
    await get(port, '/a/metrics-probe', { host: 'example.com' });
    const text = (await get(h.adminPort, '/metrics')).body;
    const line = text
      .split('\n')
      .find((l) => l.startsWith('archway_http_requests_total{') && l.includes('httproute/default/a/'));
    assert.ok(line, 'a request counter for route a');
    assert.match(line, /backend="default\/v1:80"/);
    assert.match(line, /code="200"/);
    assert.ok(Number(line.split(' ').pop()) >= 1);
    assert.match(text, /archway_http_request_duration_seconds_bucket\{/);
    const reconciles = /^archway_reconcile_duration_seconds_count (\d+)$/m.exec(text);
    assert.ok(reconciles && Number(reconciles[1]) >= 1, 'reconciles are counted');
    assert.match(text, /^archway_reconciles_total [1-9]/m);
    assert.match(text, /^archway_config_change_seconds_count [1-9]/m, 'changes are timed until served');
    assert.match(text, /^archway_config_errors \d+$/m);
  });

  test('malformed YAML is reported with file and line, and the last good config keeps serving', async () => {
    await h.write(
      'route-a.yaml',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: a\n  bad: [\n',
    );
    const errors = JSON.parse((await get(h.adminPort, '/debug/errors')).body) as {
      errors: { file: string; line: number }[];
    };
    assert.ok(
      errors.errors.some((e) => e.file.endsWith('route-a.yaml') && e.line > 0),
      JSON.stringify(errors),
    );
    assert.equal((await get(port, '/a', { host: 'example.com' })).status, 200, 'route a still serves');
    await h.write('route-a.yaml', routeYaml('a', '/a', 'v1', ['example.com']));
    const after = JSON.parse((await get(h.adminPort, '/debug/errors')).body) as { errors: unknown[] };
    assert.deepEqual(after.errors, []);
  });

  test('a schema violation names file, object and field; valid routes keep serving', async () => {
    const bad = routeYaml('bad', 'no-slash', 'v2');
    await h.write('route-bad.yaml', bad);
    const { errors } = JSON.parse((await get(h.adminPort, '/debug/errors')).body) as {
      errors: { file: string; object?: string; path?: string; message: string }[];
    };
    const e = errors.find((x) => x.file.endsWith('route-bad.yaml'));
    assert.ok(e, JSON.stringify(errors));
    assert.equal(e.object, 'HTTPRoute default/bad');
    assert.match(e.path ?? '', /spec\.rules\[0\]\.matches\[0\]\.path\.value/);
    assert.equal((await get(port, '/a', { host: 'example.com' })).status, 200);
    await h.remove('route-bad.yaml');
  });

  test('a Service with no endpoints answers 503; a backend in a missing namespace answers 500', async () => {
    await h.write(
      'route-edge.yaml',
      `${backendYaml('empty', 1).split('---')[0]}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: edge, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /empty}}]
    backendRefs: [{name: empty, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /elsewhere}}]
    backendRefs: [{name: v1, namespace: missing-ns, port: 80}]
`,
    );
    assert.equal((await get(port, '/empty', { host: 'x.com' })).status, 503);
    assert.equal((await get(port, '/elsewhere', { host: 'x.com' })).status, 500);
    const route = JSON.parse(
      (await get(h.adminPort, '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/edge')).body,
    ) as { status: { parents: { conditions: { type: string; status: string; reason: string }[] }[] } };
    const resolved = route.status.parents[0]?.conditions.find((c) => c.type === 'ResolvedRefs');
    assert.equal(resolved?.status, 'False');
    assert.match(resolved?.reason ?? '', /RefNotPermitted|BackendNotFound/);
    assert.equal((await get(port, '/a', { host: 'example.com' })).status, 200);
    await h.remove('route-edge.yaml');
  });

  test('100 route edits under load fail zero requests', async () => {
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const load = async () => {
      while (!stop) {
        try {
          const res = await get(port, '/a/load', { host: 'example.com' });
          if (res.status === 200) ok++;
          else failures.push(String(res.status));
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const workers = [load(), load(), load(), load()];
    for (let i = 0; i < 100; i++) {
      await h.write('route-churn.yaml', routeYaml('churn', `/churn-${i}`, i % 2 ? 'v1' : 'v2'));
    }
    stop = true;
    await Promise.all(workers);
    assert.deepEqual(failures, []);
    assert.ok(ok > 100, `load ran (${ok} requests)`);
    assert.equal((await get(port, '/churn-99', { host: 'x.com' })).status, 200);
    await h.remove('route-churn.yaml');
  });
});
