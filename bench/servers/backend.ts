/**
 * The shared origin every proxy forwards to: nginx answering `200 "ok"` (and a 16 KiB static body at /16k) on
 * 127.0.0.1, one worker, pinned to core 0 with the load generator, as in the baseline study.
 *
 * Owns: the backend's nginx.conf and its process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOOPBACK, pollUntil } from '../lib/net.ts';
import { type Child, type Cores, spawnChild } from '../lib/procs.ts';
import type { Workspace } from '../lib/workspace.ts';

export const BODY_16K_PATH = '/16k';
export const BODY_16K_BYTES = 16 * 1024;

/** Every backend response names the port it was served on (to see traffic move between endpoints). */
export const BACKEND_PORT_HEADER = 'x-backend-port';

export interface Backend {
  readonly port: number;
  /** A second port on the same origin: the endpoint traffic moves to in the endpoint-change trials. */
  readonly altPort: number;
  readonly child: Child;
}

/** The `events`/temp-path preamble every nginx here shares: runs in the foreground, writes only below dir. */
export function nginxPreamble(dir: string, workers: number): string {
  return `daemon off;
master_process on;
worker_processes ${workers};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 16384; multi_accept on; }
`;
}

export function nginxHttpPreamble(dir: string): string {
  return `  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
`;
}

export function backendConfig(dir: string, port: number, altPort: number): string {
  return `${nginxPreamble(dir, 1)}http {
${nginxHttpPreamble(dir)}  server {
    listen ${LOOPBACK}:${port} backlog=4096;
    listen ${LOOPBACK}:${altPort} backlog=4096;
    add_header ${BACKEND_PORT_HEADER} $server_port always;
    root ${dir}/www;
    location = ${BODY_16K_PATH} { default_type application/octet-stream; }
    location / { default_type text/plain; return 200 "ok"; }
  }
}
`;
}

export async function startBackend(
  ws: Workspace,
  port: number,
  altPort: number,
  core: number | undefined,
): Promise<Backend> {
  const dir = ws.dir('backend');
  const www = ws.dir('backend/www');
  writeFileSync(join(www, BODY_16K_PATH.slice(1)), Buffer.alloc(BODY_16K_BYTES, 'x'), { mode: 0o644 });
  writeFileSync(join(dir, 'nginx.conf'), backendConfig(dir, port, altPort));
  const child = startNginx('backend', dir, core);
  const ok = await pollUntil(port, '/', undefined, (r) => r.status === 200, { timeoutMs: 10_000, intervalMs: 20 });
  if (ok.elapsedMs === undefined) throw new Error(`backend nginx did not start:\n${child.stderr()}`);
  return { port, altPort, child };
}

/** Starts nginx on dir/nginx.conf (prefix dir, error log in dir). */
export function startNginx(name: string, dir: string, core: Cores | undefined): Child {
  return spawnChild(name, 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    ...(core === undefined ? {} : { core }),
    timeoutMs: 3_600_000,
  });
}
