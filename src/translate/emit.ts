/**
 * IR assembly: programmed listeners -> HttpListenerIR per address:port, virtual hosts, ordered routes, clusters.
 *
 * Owns: the shape of the IR (src/ir/types.ts): one HttpListenerIR per bound address:port, one VirtualHostIR per
 * Gateway listener bound there (most specific hostname first), each holding the entries of the routes accepted on
 * that listener in precedence order, and the clusters those routes reference (sorted by name).
 */
import type { ClusterIR, HttpFilterIR, HttpListenerIR, HttpRouteIR, IR, VirtualHostIR } from '../ir/types.ts';
import { compareListenerHostnames } from './hostnames.ts';
import {
  type GatewayModel,
  type ListenerModel,
  listenerProgrammed,
  type ParentModel,
  type RouteModel,
} from './model.ts';
import { comparePrecedence } from './precedence.ts';

interface Attached {
  readonly route: RouteModel;
  readonly hostnames: readonly string[];
}

export function emitIR(
  gateways: readonly GatewayModel[],
  routes: readonly RouteModel[],
  parents: ReadonlyMap<string, readonly ParentModel[]>,
): IR {
  const attached = attachedByListener(routes, parents);
  const binds = new Map<
    string,
    { address: string; port: number; protocol: 'http' | 'https'; vhosts: VirtualHostIR[] }
  >();
  for (const gw of gateways) {
    for (const l of gw.listeners) {
      if (!listenerProgrammed(gw, l) || l.kind === null) continue;
      const vhost = virtualHost(gw, l, attached.get(listenerId(gw.key, l.name)) ?? []);
      for (const address of gw.addresses) {
        const name = bindName(address, l.port);
        const bind = binds.get(name) ?? { address, port: l.port, protocol: l.kind, vhosts: [] };
        bind.vhosts.push(vhost);
        binds.set(name, bind);
      }
    }
  }
  const listeners: HttpListenerIR[] = [...binds.entries()]
    .map(([name, b]) => ({
      kind: 'http' as const,
      name,
      address: b.address,
      port: b.port,
      protocol: b.protocol,
      virtualHosts: b.vhosts.sort((x, y) => compareListenerHostnames(x.hostname, y.hostname) || cmp(x.name, y.name)),
    }))
    .sort((a, b) => cmp(a.address, b.address) || a.port - b.port);
  return { listeners, clusters: usedClusters(listeners, routes) };
}

function listenerId(gatewayKey: string, listenerName: string): string {
  return `${gatewayKey}\u0000${listenerName}`;
}

function bindName(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function attachedByListener(
  routes: readonly RouteModel[],
  parents: ReadonlyMap<string, readonly ParentModel[]>,
): Map<string, Attached[]> {
  const out = new Map<string, Attached[]>();
  for (const route of routes) {
    for (const parent of parents.get(route.key) ?? []) {
      if (parent.accepted.status !== 'True') continue;
      for (const { listener, hostnames } of parent.listeners) {
        const id = listenerId(parent.gatewayKey, listener.name);
        const list = out.get(id) ?? [];
        // A route attached to one listener through several parentRefs is served once.
        if (!list.some((a) => a.route === route)) list.push({ route, hostnames });
        out.set(id, list);
      }
    }
  }
  return out;
}

function virtualHost(gw: GatewayModel, l: ListenerModel, attached: readonly Attached[]): VirtualHostIR {
  const entries = attached.flatMap(({ route, hostnames }) =>
    route.entries.map((e) => ({
      key: {
        match: e.ir.match,
        createdMs: route.createdMs,
        routeKey: route.key,
        ruleIndex: e.ruleIndex,
        matchIndex: e.matchIndex,
      },
      ir: { ...e.ir, hostnames } as HttpRouteIR,
    })),
  );
  entries.sort((a, b) => comparePrecedence(a.key, b.key));
  return {
    name: `gateway/${gw.key}/listener/${l.name}`,
    hostname: l.hostname,
    ...(l.tls && { tls: l.tls }),
    routes: entries.map((e) => orderFields(e.ir)),
  };
}

/** Same fields, stable order (name, hostnames, match, ...), so dumps and golden files read alike. */
function orderFields(r: HttpRouteIR): HttpRouteIR {
  return {
    name: r.name,
    hostnames: r.hostnames,
    match: r.match,
    filters: r.filters,
    backends: r.backends,
    ...(r.timeouts && { timeouts: r.timeouts }),
    ...(r.retry && { retry: r.retry }),
  };
}

function usedClusters(listeners: readonly HttpListenerIR[], routes: readonly RouteModel[]): readonly ClusterIR[] {
  const used = new Set<string>();
  const mirrors = (filters: readonly HttpFilterIR[]) => {
    for (const f of filters) if (f.kind === 'requestMirror') used.add(f.cluster);
  };
  for (const l of listeners) {
    for (const r of l.virtualHosts.flatMap((v) => v.routes)) {
      mirrors(r.filters);
      for (const b of r.backends) {
        if (b.cluster !== null) used.add(b.cluster);
        mirrors(b.filters);
      }
    }
  }
  const byName = new Map(routes.flatMap((r) => r.clusters).map((c) => [c.name, c]));
  return [...used].sort(cmp).flatMap((name) => byName.get(name) ?? []);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
