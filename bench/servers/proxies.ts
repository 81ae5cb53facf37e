/**
 * The proxies under test — Archway, nginx, HAProxy — started the same way: config written, process spawned on the
 * proxy core, then polled until ready. "Ready" is the cold-start figure: for Archway, spawn until the admin
 * /readyz answers 200; for nginx and HAProxy (no readiness endpoint), spawn until a routed request answers 200.
 *
 * Owns: starting and stopping the proxies and knowing their process trees.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ArchwayConfig, writeArchwayConfig } from '../config/archway.ts';
import { haproxyConfig } from '../config/haproxy.ts';
import { nginxProxyConfig } from '../config/nginx.ts';
import type { BenchRoute, RouteRequest } from '../config/routes.ts';
import { archwayEntry } from '../lib/archway-build.ts';
import { LOOPBACK, pollUntil } from '../lib/net.ts';
import { processTree } from '../lib/proc-stats.ts';
import { type Child, type Cores, spawnChild, stopChild } from '../lib/procs.ts';
import type { Workspace } from '../lib/workspace.ts';
import { startNginx } from './backend.ts';

export type ProxyName = 'archway' | 'nginx' | 'haproxy';

export interface RunningProxy {
  readonly name: ProxyName;
  readonly port: number;
  readonly httpsPort?: number;
  readonly child: Child;
  /** Milliseconds from spawn to ready. */
  readonly readyMs: number;
  /**
   * Where routes added at run time go: Archway's watched config directory (YAML), or the directory nginx's config
   * includes (*.conf, applied by reload()).
   */
  readonly configDir?: string;
  readonly adminPort?: number;
  /** nginx: reload the configuration (SIGHUP to the master). */
  reload?(): void;
  pids(): number[];
  stop(): Promise<void>;
}

export interface ProxyStart {
  readonly ws: Workspace;
  readonly label: string;
  readonly listenPort: number;
  readonly backendPort: number;
  readonly routes: readonly BenchRoute[];
  /** A request the config routes; the proxy is up once it answers 200. */
  readonly probe: RouteRequest;
  readonly core: Cores | undefined;
  /** Worker processes: Archway `--workers N`, nginx `worker_processes N` (default 1). */
  readonly workers?: number;
  readonly readyTimeoutMs: number;
  readonly https?: { readonly port: number; readonly certPem: string; readonly keyPem: string; readonly dir: string };
}

const coreOpt = (core: Cores | undefined) => (core === undefined ? {} : { core });

function running(name: ProxyName, s: ProxyStart, child: Child, readyMs: number, extra = {}): RunningProxy {
  let tree: number[] | undefined;
  let treeAt = 0;
  return {
    name,
    port: s.listenPort,
    ...(s.https ? { httpsPort: s.https.port } : {}),
    child,
    readyMs,
    ...extra,
    // nginx replaces its workers on reload: re-read the tree unless it was read in the last second.
    pids: () => {
      const now = performance.now();
      if (!tree || now - treeAt > 1000) [tree, treeAt] = [processTree(child.pid), now];
      return tree;
    },
    stop: () => stopChild(child, name === 'archway' ? 'SIGINT' : 'SIGTERM', 10_000),
  };
}

async function waitRouted(s: ProxyStart, child: Child, start: number): Promise<number> {
  const host = s.probe.headers.Host;
  const r = await pollUntil(
    s.listenPort,
    s.probe.path,
    host,
    (p) => p.status === 200,
    {
      timeoutMs: s.readyTimeoutMs,
      intervalMs: 2,
      alive: child.alive,
    },
    start,
  );
  if (r.elapsedMs === undefined) {
    const reason = why(child, s.readyTimeoutMs);
    await stopChild(child, 'SIGKILL');
    throw new Error(
      `${s.label}: no 200 for ${host}${s.probe.path} ${reason} ` +
        `(last status ${r.last?.status ?? 'none'})\n${tail(child.stderr())}`,
    );
  }
  return r.elapsedMs;
}

export async function startNginxProxy(s: ProxyStart): Promise<RunningProxy> {
  const dir = s.ws.dir(s.label);
  const https = s.https
    ? { port: s.https.port, certFile: join(s.https.dir, 'cert.pem'), keyFile: join(s.https.dir, 'key.pem') }
    : undefined;
  const includeDir = s.ws.dir(`${s.label}/dynamic`);
  const conf = nginxProxyConfig({
    dir,
    listenPort: s.listenPort,
    backendPort: s.backendPort,
    routes: s.routes,
    includeDir,
    workers: s.workers ?? 1,
    ...(https ? { https } : {}),
  });
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const start = performance.now();
  const child = startNginx(s.label, dir, s.core);
  const reload = () => process.kill(child.pid, 'SIGHUP');
  return running('nginx', s, child, await waitRouted(s, child, start), { configDir: includeDir, reload });
}

export async function startHaproxy(s: ProxyStart): Promise<RunningProxy> {
  const dir = s.ws.dir(s.label);
  const https = s.https ? { port: s.https.port, pemFile: join(s.https.dir, 'combined.pem') } : undefined;
  writeFileSync(
    join(dir, 'haproxy.cfg'),
    haproxyConfig({ listenPort: s.listenPort, backendPort: s.backendPort, ...(https ? { https } : {}) }),
  );
  const start = performance.now();
  const child = spawnChild(s.label, 'haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], {
    ...coreOpt(s.core),
    timeoutMs: 3_600_000,
  });
  return running('haproxy', s, child, await waitRouted(s, child, start));
}

export interface ArchwayStart extends ProxyStart {
  readonly adminPort: number;
  /** The checkout to run: its compiled dist/, built once per run (lib/archway-build.ts). */
  readonly root: string;
  /** Run under `node --cpu-prof`, writing the profile into this directory. */
  readonly cpuProfDir?: string;
}

export async function startArchway(s: ArchwayStart): Promise<RunningProxy> {
  const dir = s.ws.dir(`${s.label}/config`);
  const cfg: ArchwayConfig = {
    listenPort: s.listenPort,
    backendPort: s.backendPort,
    ...(s.https ? { https: { port: s.https.port, certPem: s.https.certPem, keyPem: s.https.keyPem } } : {}),
  };
  writeArchwayConfig(dir, cfg, s.routes);
  const entry = archwayEntry(s.root);
  const nodeArgs = [...entry.nodeFlags, ...(s.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', s.cpuProfDir] : [])];
  const args = [...nodeArgs, entry.script, 'serve', '--config', dir, '--admin', `${LOOPBACK}:${s.adminPort}`];
  if (s.workers !== undefined && s.workers > 1) args.push('--workers', String(s.workers));
  const start = performance.now();
  const child = spawnChild(s.label, process.execPath, args, {
    ...coreOpt(s.core),
    cwd: s.root,
    logFile: join(s.ws.dir(s.label), 'archway.log'),
    timeoutMs: 3_600_000,
  });
  const ready = await pollUntil(
    s.adminPort,
    '/readyz',
    undefined,
    (p) => p.status === 200,
    {
      timeoutMs: s.readyTimeoutMs,
      intervalMs: 2,
      alive: child.alive,
    },
    start,
  );
  if (ready.elapsedMs === undefined) {
    const reason = why(child, s.readyTimeoutMs);
    await stopChild(child, 'SIGKILL');
    throw new Error(`${s.label}: /readyz not 200 ${reason}\n${tail(child.stderr())}`);
  }
  await waitRouted(s, child, start);
  return running('archway', s, child, ready.elapsedMs, { configDir: dir, adminPort: s.adminPort });
}

function why(child: Child, timeoutMs: number): string {
  return child.alive() ? `within ${timeoutMs} ms` : `(the process exited first)`;
}

export function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
