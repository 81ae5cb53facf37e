/**
 * Test builders for IR values with defaults, so a test states only what it is about.
 */

import type {
  ClusterIR,
  HttpFilterIR,
  HttpListenerIR,
  HttpMatchIR,
  HttpRouteIR,
  VirtualHostIR,
  WeightedBackendIR,
} from '../../ir/types.ts';

type Writable<T> = { -readonly [K in keyof T]?: T[K] };

export function match(m: Writable<HttpMatchIR> = {}): HttpMatchIR {
  return {
    path: m.path ?? { type: 'PathPrefix', value: '/' },
    method: m.method ?? null,
    headers: m.headers ?? [],
    queryParams: m.queryParams ?? [],
  };
}

export function backend(cluster: string | null, weight = 1, filters: readonly HttpFilterIR[] = []): WeightedBackendIR {
  return { cluster, weight, filters };
}

export function route(name: string, r: Writable<HttpRouteIR> = {}): HttpRouteIR {
  return {
    name,
    hostnames: r.hostnames ?? [],
    match: r.match ?? match(),
    filters: r.filters ?? [],
    backends: r.backends ?? [],
    ...(r.timeouts === undefined ? {} : { timeouts: r.timeouts }),
    ...(r.retry === undefined ? {} : { retry: r.retry }),
  };
}

export function vhost(name: string, hostname: string | null, routes: readonly HttpRouteIR[]): VirtualHostIR {
  return { name, hostname, routes };
}

/** A listener on 127.0.0.1; `name` defaults to "127.0.0.1:<port>" (give distinct names to several port-0 listeners). */
export function listener(
  port: number,
  vhosts: readonly VirtualHostIR[],
  protocol: 'http' | 'https' = 'http',
  name = `127.0.0.1:${port}`,
): HttpListenerIR {
  return { kind: 'http', name, address: '127.0.0.1', port, protocol, virtualHosts: vhosts };
}

export function cluster(name: string, ports: readonly number[]): ClusterIR {
  return { name, protocol: 'http1', endpoints: ports.map((port) => ({ address: '127.0.0.1', port })) };
}
