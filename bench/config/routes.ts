/**
 * Generated HTTPRoutes for the route-scale and config-dynamics scenarios, and requests that hit them.
 *
 * Owns: the route model shared by the Archway YAML and the equivalent nginx config, so both proxies serve the same
 * hostnames and paths. The mix is deterministic and resembles a multi-tenant gateway: most routes own a hostname
 * (`svc-N.tenant-T.example.com`, some with a wildcard alias under example.net) and carry an API prefix (some with a
 * header or method match), an exact /healthz and a catch-all; one route in ten shares the portal hostname and owns
 * a path prefix there, so one host accumulates many rules as the table grows.
 */

export interface RouteRule {
  readonly path: { readonly type: 'Exact' | 'PathPrefix'; readonly value: string };
  readonly method?: string;
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

export interface BenchRoute {
  readonly name: string;
  readonly hostnames: readonly string[];
  readonly rules: readonly RouteRule[];
  /** A response header the route adds (used to see that an edit is live). */
  readonly responseHeader?: { readonly name: string; readonly value: string };
  /** The Service it forwards to (default: the shared backend). */
  readonly service?: string;
}

export interface RouteRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

export const PORTAL_HOST = 'portal.example.com';
const RESOURCES = ['orders', 'users', 'carts', 'payments', 'search', 'inventory', 'invoices'] as const;
const REGIONS = ['eu-west', 'us-east', 'ap-south'] as const;

const pad = (i: number) => String(i).padStart(5, '0');

export function generateRoute(i: number): BenchRoute {
  if (i % 10 === 5) {
    return {
      name: `portal-${pad(i)}`,
      hostnames: [PORTAL_HOST],
      rules: [
        { path: { type: 'PathPrefix', value: `/apps/app-${i}` }, headers: [{ name: 'x-portal-user', value: `u${i}` }] },
        { path: { type: 'Exact', value: `/apps/app-${i}/health` } },
      ],
    };
  }
  const tenant = `tenant-${i % 500}`;
  const host = `svc-${i}.${tenant}.example.com`;
  const hostnames = i % 7 === 0 ? [host, `*.${REGIONS[i % REGIONS.length]}.svc-${i}.example.net`] : [host];
  const api: RouteRule = {
    path: { type: 'PathPrefix', value: `/api/v${1 + (i % 3)}/${RESOURCES[i % RESOURCES.length]}` },
    ...(i % 4 === 0 ? { method: 'GET' } : {}),
    ...(i % 3 === 0 ? { headers: [{ name: 'x-tenant', value: tenant }] } : {}),
  };
  return {
    name: `svc-${pad(i)}`,
    hostnames,
    rules: [api, { path: { type: 'Exact', value: '/healthz' } }, { path: { type: 'PathPrefix', value: '/' } }],
  };
}

export function generateRoutes(n: number): BenchRoute[] {
  return Array.from({ length: n }, (_, i) => generateRoute(i));
}

/** A request that the route's first rule matches. */
export function requestFor(route: BenchRoute): RouteRequest {
  const rule = route.rules[0]!;
  const host = route.hostnames[0]!;
  const headers: Record<string, string> = { Host: host };
  for (const h of rule.headers ?? []) headers[h.name] = h.value;
  return { path: `${rule.path.value}/item-42?view=full`, headers };
}

/** `count` requests spread evenly over the table (first, last and everything between). */
export function sampleRequests(routes: readonly BenchRoute[], count: number): RouteRequest[] {
  const n = routes.length;
  const k = Math.min(count, n);
  const out: RouteRequest[] = [];
  for (let j = 0; j < k; j++) out.push(requestFor(routes[k === 1 ? 0 : Math.round((j * (n - 1)) / (k - 1))]!));
  return out;
}

/** A single catch-all route for the throughput scenarios. */
export function catchAllRoute(host: string): BenchRoute {
  return { name: 'bench', hostnames: [host], rules: [{ path: { type: 'PathPrefix', value: '/' } }] };
}
