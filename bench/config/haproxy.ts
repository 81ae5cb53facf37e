/**
 * HAProxy as a second reference proxy (single-route scenarios only): one thread, keep-alive on both sides,
 * connection reuse to the backend, no logging.
 *
 * Owns: haproxy.cfg.
 */
import { LOOPBACK } from '../lib/net.ts';

export interface HaproxyConfig {
  readonly listenPort: number;
  readonly backendPort: number;
  readonly https?: { readonly port: number; readonly pemFile: string };
}

export function haproxyConfig(cfg: HaproxyConfig): string {
  const tls = cfg.https ? `  bind ${LOOPBACK}:${cfg.https.port} ssl crt ${cfg.https.pemFile} alpn h2,http/1.1\n` : '';
  return `global
  nbthread 1
  maxconn 4000
  tune.ssl.default-dh-param 2048

defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  timeout http-keep-alive 120s

frontend bench
  bind ${LOOPBACK}:${cfg.listenPort}
${tls}  default_backend origin

backend origin
  server origin ${LOOPBACK}:${cfg.backendPort}
`;
}
