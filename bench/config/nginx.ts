/**
 * nginx as the proxy under test: the reference every ratio is taken against.
 *
 * Owns: the proxy's nginx.conf. One worker (the proxy gets one core), upstream keep-alive on, no access log, request
 * and response buffering left at nginx's defaults. For the route-scale scenario the same routes Archway serves become
 * server blocks (one per hostname, wildcards included) with a location per path; nginx has no header or method
 * matching in locations, so those conditions are left out — nginx does less matching work than Archway there.
 */

import { LOOPBACK } from '../lib/net.ts';
import { nginxHttpPreamble, nginxPreamble } from '../servers/backend.ts';
import type { BenchRoute } from './routes.ts';

export interface NginxProxyConfig {
  readonly dir: string;
  readonly listenPort: number;
  readonly backendPort: number;
  readonly routes: readonly BenchRoute[];
  readonly https?: { readonly port: number; readonly certFile: string; readonly keyFile: string };
  /** Also `include` every *.conf in this directory inside http {} (routes added while running). */
  readonly includeDir?: string;
  /** worker_processes (default 1: the proxy gets one core). */
  readonly workers?: number;
}

const proxy = (upstream: string) =>
  `proxy_pass http://${upstream}; proxy_http_version 1.1; proxy_set_header Connection "";`;

/** An upstream block with keep-alive, for a Service added at run time. */
export function nginxUpstream(name: string, port: number): string {
  return `  upstream ${name} { server ${LOOPBACK}:${port}; keepalive 64; }\n`;
}

/** Server blocks for the routes: one per hostname, one location per distinct path. */
export function nginxServers(routes: readonly BenchRoute[], listen: string): string {
  const byHost = new Map<string, Map<string, string>>();
  for (const route of routes) {
    const h = route.responseHeader;
    const extra = h ? ` add_header ${h.name} ${JSON.stringify(h.value)} always;` : '';
    for (const host of route.hostnames) {
      const locations = byHost.get(host) ?? new Map<string, string>();
      byHost.set(host, locations);
      for (const rule of route.rules) {
        const key = `${rule.path.type === 'Exact' ? '= ' : ''}${rule.path.value}`;
        if (!locations.has(key))
          locations.set(key, `    location ${key} { ${proxy(route.service ?? 'backend')}${extra} }`);
      }
    }
  }
  const blocks: string[] = [];
  for (const [host, locations] of [...byHost].sort(([a], [b]) => a.localeCompare(b))) {
    blocks.push(`  server {\n    ${listen}\n    server_name ${host};\n${[...locations.values()].join('\n')}\n  }`);
  }
  return `${blocks.join('\n')}\n`;
}

/** The listen directive(s) of every server block (what an included file must repeat). */
export function nginxListen(cfg: Pick<NginxProxyConfig, 'listenPort'>): string {
  return `listen ${LOOPBACK}:${cfg.listenPort};`;
}

export function nginxProxyConfig(cfg: NginxProxyConfig): string {
  const listens = [`${LOOPBACK}:${cfg.listenPort}`];
  const tls = cfg.https
    ? `  ssl_certificate ${cfg.https.certFile};\n  ssl_certificate_key ${cfg.https.keyFile};\n  ssl_session_cache off;\n  ssl_session_tickets off;\n`
    : '';
  if (cfg.https) listens.push(`${LOOPBACK}:${cfg.https.port} ssl http2`);
  const listen = (extra: string) => listens.map((l) => `listen ${l}${extra};`).join(' ');
  const servers = nginxServers(cfg.routes, listen(''));
  const include = cfg.includeDir ? `  include ${cfg.includeDir}/*.conf;\n` : '';
  return `${nginxPreamble(cfg.dir, cfg.workers ?? 1)}http {
${nginxHttpPreamble(cfg.dir)}${tls}  server_names_hash_max_size 131072;
  server_names_hash_bucket_size 128;
  upstream backend { server ${LOOPBACK}:${cfg.backendPort}; keepalive 512; keepalive_requests 100000000; }
  server {
    ${listen(' default_server backlog=4096')}
    location / { return 404; }
  }
${servers}${include}}
`;
}
