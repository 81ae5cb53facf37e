/**
 * Conflicts between listeners (Gateway API "Distinct Listeners" and OverlappingTLSConfig).
 *
 * Owns: within one Gateway, listeners sharing a port with different protocols (ProtocolConflict: HTTP and HTTPS
 * cannot share a port) or the same protocol and hostname (HostnameConflict); no winner is picked, every listener
 * involved is conflicted. HTTPS listeners on one port whose hostnames overlap get OverlappingTLSConfig. Across
 * Gateways bound to the same address:port, listeners are merged when compatible; otherwise the older Gateway
 * (creation time, then namespace/name) keeps the port and the newer one's listener is conflicted.
 */
import {
  listenerHostnameConflict,
  listenerOverlappingHostnames,
  listenerProtocolConflict,
} from '../status/conditions.ts';
import type { ConditionValue } from '../status/types.ts';
import { hostnamesOverlap } from './hostnames.ts';
import { type GatewayModel, type ListenerModel, listenerProgrammed } from './model.ts';

/** Marks conflicts and TLS overlaps among the listeners of one Gateway. */
export function withGatewayConflicts(listeners: readonly ListenerModel[]): readonly ListenerModel[] {
  return listeners.map((l) => {
    if (l.acceptProblem) return l;
    const samePort = listeners.filter((o) => o !== l && !o.acceptProblem && o.port === l.port);
    const conflict = conflictWith(l, samePort);
    const overlapping = l.kind === 'https' && !conflict ? overlappingTls(l, samePort) : undefined;
    return { ...l, ...(conflict && { conflict }), ...(overlapping && { overlappingTls: overlapping }) };
  });
}

function conflictWith(l: ListenerModel, samePort: readonly ListenerModel[]): ConditionValue | undefined {
  const otherProtocol = samePort.find((o) => o.kind !== l.kind);
  if (otherProtocol) {
    return listenerProtocolConflict(
      `Port ${l.port} is used by listener "${otherProtocol.name}" with protocol ${otherProtocol.protocol}`,
    );
  }
  const sameHost = samePort.find((o) => o.hostname === l.hostname);
  if (sameHost) {
    const host = l.hostname ?? '(any hostname)';
    return listenerHostnameConflict(`Listener "${sameHost.name}" also serves ${host} on port ${l.port}`);
  }
  return undefined;
}

function overlappingTls(l: ListenerModel, samePort: readonly ListenerModel[]): ConditionValue | undefined {
  const names = samePort
    .filter((o) => o.kind === 'https' && hostnamesOverlap(o.hostname, l.hostname))
    .map((o) => o.name);
  if (names.length === 0) return undefined;
  return listenerOverlappingHostnames(
    `Hostname overlaps with HTTPS listeners ${names.map((n) => `"${n}"`).join(', ')}`,
  );
}

/** Conflicts between Gateways whose listeners bind the same address:port; the older Gateway wins. */
export function withSharedAddressConflicts(gateways: readonly GatewayModel[]): readonly GatewayModel[] {
  const order = [...gateways].sort((a, b) => a.createdMs - b.createdMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const taken = new Map<string, { gatewayKey: string; listener: ListenerModel }[]>();
  const result = new Map<string, GatewayModel>();
  for (const gw of order) {
    const listeners = gw.listeners.map((l) => claim(gw, l, taken));
    result.set(gw.key, { ...gw, listeners });
  }
  return gateways.map((gw) => result.get(gw.key) ?? gw);
}

function claim(
  gw: GatewayModel,
  l: ListenerModel,
  taken: Map<string, { gatewayKey: string; listener: ListenerModel }[]>,
): ListenerModel {
  if (!listenerProgrammed(gw, l)) return l;
  const binds = gw.addresses.map((address) => `${address}:${l.port}`);
  const others = binds.flatMap((b) => taken.get(b) ?? []).filter((o) => o.gatewayKey !== gw.key);
  const conflict = crossGatewayConflict(l, others);
  if (conflict) return { ...l, conflict };
  for (const b of binds) taken.set(b, [...(taken.get(b) ?? []), { gatewayKey: gw.key, listener: l }]);
  return l;
}

function crossGatewayConflict(
  l: ListenerModel,
  others: readonly { gatewayKey: string; listener: ListenerModel }[],
): ConditionValue | undefined {
  const protocol = others.find((o) => o.listener.kind !== l.kind);
  if (protocol) {
    return listenerProtocolConflict(
      `Port ${l.port} on this address is used by Gateway ${protocol.gatewayKey} with protocol ${protocol.listener.protocol}`,
    );
  }
  const host = others.find((o) => o.listener.hostname === l.hostname);
  if (host) {
    const name = l.hostname ?? '(any hostname)';
    return listenerHostnameConflict(
      `Gateway ${host.gatewayKey} already serves ${name} on this address and port ${l.port}`,
    );
  }
  return undefined;
}
