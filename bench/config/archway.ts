/**
 * Archway's side of a scenario: a config directory of Gateway API YAML for N routes.
 *
 * Owns: the YAML. One GatewayClass, one Gateway bound to 127.0.0.1 (spec.addresses) with one HTTP listener, the
 * backend as a Service + EndpointSlice, and the routes, 100 per file (as a team's repository would hold them).
 * Values are written as JSON scalars, which are valid YAML, so no escaping rule is needed.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOOPBACK } from '../lib/net.ts';
import type { BenchRoute } from './routes.ts';

export const NAMESPACE = 'bench';
const GATEWAY = 'bench';
const SERVICE = 'backend';
const ROUTES_PER_FILE = 100;

export interface ArchwayConfig {
  readonly listenPort: number;
  readonly backendPort: number;
  /** Also open an HTTPS listener on this port with this certificate (PEM). */
  readonly https?: { readonly port: number; readonly certPem: string; readonly keyPem: string };
}

const q = (s: string) => JSON.stringify(s);

export function baseYaml(cfg: ArchwayConfig): string {
  const httpsListener = cfg.https
    ? `
    - name: https
      protocol: HTTPS
      port: ${cfg.https.port}
      tls:
        mode: Terminate
        certificateRefs:
          - name: bench-tls`
    : '';
  const secret = cfg.https
    ? `---
apiVersion: v1
kind: Secret
metadata:
  name: bench-tls
  namespace: ${NAMESPACE}
type: kubernetes.io/tls
data:
  tls.crt: ${q(Buffer.from(cfg.https.certPem).toString('base64'))}
  tls.key: ${q(Buffer.from(cfg.https.keyPem).toString('base64'))}
`
    : '';
  return `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: archway-bench
spec:
  controllerName: archway.dev/gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ${GATEWAY}
  namespace: ${NAMESPACE}
spec:
  gatewayClassName: archway-bench
  addresses:
    - type: IPAddress
      value: ${q(LOOPBACK)}
  listeners:
    - name: http
      protocol: HTTP
      port: ${cfg.listenPort}${httpsListener}
---
${serviceYaml(SERVICE, cfg.backendPort)}${secret}`;
}

/** A Service and the EndpointSlice that gives it one endpoint, 127.0.0.1:port. */
export function serviceYaml(name: string, port: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
spec:
  ports:
    - name: http
      port: 80
      targetPort: ${port}
---
${endpointSliceYaml(name, port)}`;
}

export function endpointSliceYaml(service: string, port: number): string {
  return `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${service}-1
  namespace: ${NAMESPACE}
  labels:
    kubernetes.io/service-name: ${service}
addressType: IPv4
endpoints:
  - addresses: [${q(LOOPBACK)}]
    conditions:
      ready: true
ports:
  - name: http
    port: ${port}
    protocol: TCP
`;
}

function ruleYaml(rule: BenchRoute['rules'][number], route: BenchRoute): string {
  const lines = ['    - matches:', '        - path:', `            type: ${rule.path.type}`];
  lines.push(`            value: ${q(rule.path.value)}`);
  if (rule.method) lines.push(`          method: ${rule.method}`);
  if (rule.headers?.length) {
    lines.push('          headers:');
    for (const h of rule.headers) lines.push(`            - name: ${q(h.name)}`, `              value: ${q(h.value)}`);
  }
  if (route.responseHeader) {
    lines.push('      filters:', '        - type: ResponseHeaderModifier', '          responseHeaderModifier:');
    lines.push('            set:', `              - name: ${q(route.responseHeader.name)}`);
    lines.push(`                value: ${q(route.responseHeader.value)}`);
  }
  lines.push('      backendRefs:', `        - name: ${route.service ?? SERVICE}`, '          port: 80');
  return lines.join('\n');
}

export function routeYaml(route: BenchRoute): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${route.name}
  namespace: ${NAMESPACE}
spec:
  parentRefs:
    - name: ${GATEWAY}
  hostnames: [${route.hostnames.map(q).join(', ')}]
  rules:
${route.rules.map((r) => ruleYaml(r, route)).join('\n')}
`;
}

/** Writes base.yaml and routes-NNN.yaml files into dir. */
export function writeArchwayConfig(dir: string, cfg: ArchwayConfig, routes: readonly BenchRoute[]): void {
  writeFileSync(join(dir, 'base.yaml'), baseYaml(cfg));
  for (let f = 0; f * ROUTES_PER_FILE < routes.length; f++) {
    const chunk = routes.slice(f * ROUTES_PER_FILE, (f + 1) * ROUTES_PER_FILE);
    writeFileSync(join(dir, `routes-${String(f).padStart(4, '0')}.yaml`), chunk.map(routeYaml).join('---\n'));
  }
}

/** Writes one file atomically (write elsewhere, then rename into the watched directory). */
export function writeConfigFile(dir: string, scratch: string, file: string, text: string): void {
  const tmp = join(scratch, `${file}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(dir, file));
}

export function writeRouteFile(dir: string, scratch: string, file: string, routes: readonly BenchRoute[]): void {
  writeConfigFile(dir, scratch, file, routes.map(routeYaml).join('---\n'));
}
