/**
 * IR assembly: programmed listeners -> HttpListenerIR per address:port, virtual hosts, ordered routes, clusters.
 *
 * Owns: the shape of the IR (src/ir/types.ts): one HttpListenerIR per bound address:port, one VirtualHostIR per
 * Gateway listener bound there (most specific hostname first; vhost.ts builds each), and the clusters those routes
 * reference (sorted by name). Listeners equal to the previous translation's are that same object (memo.ts).
 */
import type { ClusterIR, HttpListenerIR, IR, VirtualHostIR } from '../ir/types.ts';
import type { ListenerRoutes } from './attached.ts';
import { type ClusterRef, clusterIR } from './backends.ts';
import { bindNameOf } from './binds.ts';
import type { TranslateContext } from './context.ts';
import { compareListenerHostnames } from './hostnames.ts';
import { type GatewayModel, listenerProgrammed } from './model.ts';
import { buildVhost } from './vhost.ts';

interface Bind {
  readonly address: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
  readonly vhosts: VirtualHostIR[];
}

export function emitIR(gateways: readonly GatewayModel[], attached: ListenerRoutes, ctx: TranslateContext): IR {
  const binds = new Map<string, Bind>();
  const clusters = new Map<string, ClusterRef>();
  for (const gw of gateways) {
    for (const l of gw.listeners) {
      if (!listenerProgrammed(gw, l) || l.kind === null) continue;
      const vh = buildVhost(`gateway/${gw.key}/listener/${l.name}`, l, attached, ctx);
      for (const [n, c] of vh.clusters) if (!clusters.has(n)) clusters.set(n, c.ref);
      for (const address of gw.addresses) {
        const bindName = bindNameOf(address, l.port);
        const bind = binds.get(bindName) ?? { address, port: l.port, protocol: l.kind, vhosts: [] };
        bind.vhosts.push(vh.vhost);
        binds.set(bindName, bind);
      }
    }
  }
  const listeners: HttpListenerIR[] = [...binds.entries()]
    .map(([name, b]) => ctx.memo.stable('listener', name, listenerIR(name, b)))
    .sort((a, b) => cmp(a.address, b.address) || a.port - b.port);
  const names = [...clusters.keys()].sort(cmp);
  return { listeners, clusters: names.map((n): ClusterIR => clusterIR(ctx, clusters.get(n) as ClusterRef)) };
}

function listenerIR(name: string, b: Bind): HttpListenerIR {
  return {
    kind: 'http',
    name,
    address: b.address,
    port: b.port,
    protocol: b.protocol,
    virtualHosts: b.vhosts.sort((x, y) => compareListenerHostnames(x.hostname, y.hostname) || cmp(x.name, y.name)),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
