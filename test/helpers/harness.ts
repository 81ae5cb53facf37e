/**
 * End-to-end test harness: a real Archway (runtime + data plane + admin) in this process, over a temp config dir,
 * and echo backends on loopback. Everything listens on 127.0.0.1 with OS-assigned ports.
 */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics } from '../../src/admin/metrics.ts';
import { createAdminServer, listenAdmin } from '../../src/admin/server.ts';
import { Dataplane } from '../../src/dataplane/dataplane.ts';
import { Runtime } from '../../src/runtime/runtime.ts';

export interface Echo {
  readonly name: string;
  readonly port: number;
  readonly server: Server;
}

/** An echo backend: answers JSON {backend, method, path, host, headers}. */
export async function startEcho(name: string): Promise<Echo> {
  const server = createServer((req, res) => {
    const body = JSON.stringify({
      backend: name,
      method: req.method,
      path: req.url,
      host: req.headers.host,
      headers: req.headers,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { name, port: (server.address() as AddressInfo).port, server };
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface Harness {
  readonly dir: string;
  readonly runtime: Runtime;
  readonly adminPort: number;
  /** Writes a config file atomically (write + rename, as editors do) and applies it (without waiting for the watcher). */
  write(file: string, text: string): Promise<void>;
  remove(file: string): Promise<void>;
  close(): Promise<void>;
}

export async function startArchway(files: Record<string, string>): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'archway-e2e-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const metrics = new Metrics();
  const dataplane = new Dataplane({ observer: metrics });
  const runtime = new Runtime({
    configDir: dir,
    controllerName: 'archway.dev/gateway-controller',
    dataplane,
    onReconcile: (ms, errors, timing) => metrics.reconciled(ms, errors, timing),
  });
  const admin = createAdminServer({ runtime, metrics, version: 'test' });
  const { port: adminPort } = await listenAdmin(admin, '127.0.0.1:0');
  await runtime.start();
  return {
    dir,
    runtime,
    adminPort,
    async write(file, text) {
      const tmp = join(dir, `.${file}.tmp`);
      await writeFile(tmp, text);
      await rename(tmp, join(dir, file));
      await runtime.rescan();
    },
    async remove(file) {
      await rm(join(dir, file), { force: true });
      await runtime.rescan();
    },
    async close() {
      await runtime.close();
      await dataplane.close();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Response {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP/1.1 request over a fresh connection. */
export function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  host = '127.0.0.1',
  method = 'GET',
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls `check` until it returns true (bounded: 5 s). */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function gatewayYaml(port: number, extraListeners = ''): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: archway}
spec: {controllerName: archway.dev/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: archway
  addresses: [{type: IPAddress, value: 127.0.0.1}]
  listeners:
  - {name: http, protocol: HTTP, port: ${port}, allowedRoutes: {namespaces: {from: All}}}
${extraListeners}`;
}

export function backendYaml(name: string, port: number, namespace = 'default'): string {
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec: {ports: [{name: http, port: 80, targetPort: ${port}}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}-1, namespace: ${namespace}, labels: {kubernetes.io/service-name: ${name}}}
addressType: IPv4
endpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]
ports: [{name: http, port: ${port}, protocol: TCP}]
`;
}

export function routeYaml(name: string, path: string, backend: string, hostnames: string[] = []): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: default}
spec:
  parentRefs: [{name: gw}]
  hostnames: ${JSON.stringify(hostnames)}
  rules:
  - matches: [{path: {type: PathPrefix, value: ${path}}}]
    backendRefs: [{name: ${backend}, port: 80}]
`;
}
