import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFile } from '../../src/api/decode.ts';
import { baseYaml, routeYaml } from './archway.ts';
import { nginxProxyConfig } from './nginx.ts';
import { generateRoutes, PORTAL_HOST, sampleRequests } from './routes.ts';

test('generated routes decode without errors in Archway', () => {
  const routes = generateRoutes(30);
  const text = [baseYaml({ listenPort: 8080, backendPort: 9000 }), ...routes.map(routeYaml)].join('---\n');
  const { objects, errors } = decodeFile(text, 'bench.yaml');
  assert.deepEqual(errors, []);
  assert.equal(objects.filter((o) => o.object.kind === 'HTTPRoute').length, 30);
});

test('sampled requests span the table, first and last route included', () => {
  const routes = generateRoutes(1000);
  const reqs = sampleRequests(routes, 64);
  assert.equal(reqs.length, 64);
  assert.equal(reqs[0]!.headers.Host, routes[0]!.hostnames[0]);
  assert.equal(reqs[63]!.headers.Host, routes[999]!.hostnames[0]);
  assert.ok(reqs.some((r) => r.headers.Host === PORTAL_HOST));
});

test('the nginx config has one server block per hostname and one location per distinct path', () => {
  const routes = generateRoutes(20);
  const conf = nginxProxyConfig({ dir: '/tmp/x', listenPort: 1, backendPort: 2, routes });
  const hosts = new Set(routes.flatMap((r) => r.hostnames));
  assert.equal(conf.match(/server_name /g)?.length, hosts.size);
  assert.equal(conf.match(/location \/apps\/app-5 /g)?.length, 1);
  assert.match(conf, /server_name \*\.eu-west\.svc-0\.example\.net;/);
});

test('the nginx proxy runs one worker unless asked for more (the workers scenario)', () => {
  const base = { dir: '/tmp/x', listenPort: 1, backendPort: 2, routes: [] };
  assert.match(nginxProxyConfig(base), /^worker_processes 1;$/m);
  assert.match(nginxProxyConfig({ ...base, workers: 2 }), /^worker_processes 2;$/m);
});
