/**
 * The admin HTTP server: health, readiness, metrics, the Kubernetes-style read API with status, a config dump.
 *
 * Owns: the admin routes. It binds loopback by default and is read-only. Paths:
 *   GET /healthz                      200 while the process is up
 *   GET /readyz                       200 once the current config has been applied, else 503
 *   GET /metrics                      Prometheus text
 *   GET /api/v1/..., /apis/{g}/{v}/...  objects with status, Kubernetes REST paths (src/admin/resources.ts)
 *   GET /debug/config                 the IR the data plane runs, as JSON
 *   GET /debug/errors                 current config errors (file, line, object, field)
 *   GET /debug/changes                the last reconciles, each timed stage by stage from when its change was seen
 *   GET /                             a small status page
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../api/types.ts';
import { http } from '../lib/node-http.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { Metrics } from './metrics.ts';
import { parseResourcePath, type ResourcePath } from './resources.ts';
import { renderStatusPage } from './ui.ts';

const { createServer } = http;

export interface AdminOptions {
  readonly runtime: Runtime;
  readonly metrics: Metrics;
  readonly version: string;
}

export function createAdminServer(opts: AdminOptions): Server {
  return createServer((req, res) => {
    handle(opts, req, res).catch((err: unknown) => sendJson(res, 500, { message: String(err) }));
  });
}

export function listenAdmin(server: Server, address: string): Promise<AddressInfo> {
  const { host, port } = splitHostPort(address);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** "127.0.0.1:9901", ":9901" (loopback) or "[::1]:9901". */
export function splitHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address);
  if (!m) throw new Error(`--admin: expected HOST:PORT, got "${address}"`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port: Number(m[3]) };
}

async function handle(opts: AdminOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { message: 'read-only API' });
  const url = new URL(req.url ?? '/', 'http://admin');
  const { runtime } = opts;
  switch (url.pathname) {
    case '/healthz':
      return sendText(res, 200, 'ok\n');
    case '/readyz':
      return runtime.ready ? sendText(res, 200, 'ok\n') : sendText(res, 503, 'not ready\n');
    case '/metrics': {
      opts.metrics.configErrors.set(runtime.errors.length);
      const body = await opts.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': opts.metrics.registry.contentType });
      res.end(body);
      return;
    }
    case '/debug/config':
      return sendJson(res, 200, runtime.ir);
    case '/debug/errors':
      return sendJson(res, 200, { errors: runtime.errors });
    case '/debug/changes':
      return sendJson(res, 200, { changes: runtime.changes });
    case '/':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderStatusPage(runtime, opts.version));
      return;
  }
  const path = parseResourcePath(url.pathname);
  if (!path) return sendJson(res, 404, notFound(`no such path: ${url.pathname}`));
  return serveResource(runtime, path, res);
}

function serveResource(runtime: Runtime, path: ResourcePath, res: ServerResponse): void {
  const { resource, apiVersion } = path;
  const withVersion = (o: KubeObject): KubeObject => redact({ ...runtime.objectWithStatus(o), apiVersion });
  if (path.name !== undefined) {
    const key = resource.namespaced
      ? `${resource.kind}/${path.namespace ?? 'default'}/${path.name}`
      : `${resource.kind}/${path.name}`;
    const obj = runtime.store.get(key);
    if (obj) sendJson(res, 200, withVersion(obj));
    else sendJson(res, 404, notFound(`${resource.plural} "${path.name}" not found`));
    return;
  }
  const items = runtime.store
    .list(resource.kind)
    .filter((o) => path.namespace === undefined || o.metadata.namespace === path.namespace)
    .map(withVersion);
  sendJson(res, 200, { apiVersion, kind: `${resource.kind}List`, metadata: {}, items });
}

/** Secrets are served without their data: the admin API is for status, not for reading key material. */
function redact(o: KubeObject): KubeObject {
  if (o.kind !== 'Secret') return o;
  const { data: _d, stringData: _s, ...rest } = o;
  return rest as KubeObject;
}

function notFound(message: string): object {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
