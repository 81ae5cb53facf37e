/**
 * Route attachment: each parentRef of a route to one of our Gateways, and the listeners it attaches to.
 *
 * Owns: parentRef defaults (group gateway.networking.k8s.io, kind Gateway, the route's namespace), listener
 * selection by sectionName and port (none: NoMatchingParent), allowedRoutes (none allows it:
 * NotAllowedByListeners), hostname intersection (none: NoMatchingListenerHostname), and finally the route's own
 * validity. ParentRefs to anything that is not one of our Gateways get no status entry: another controller owns
 * them, or nobody does (the spec leaves unresolvable parents out of status).
 */
import { GATEWAY_GROUP, type ParentReference } from '../api/types.ts';
import {
  routeAccepted,
  routeNoMatchingListenerHostname,
  routeNoMatchingParent,
  routeNotAllowedByListeners,
} from '../status/conditions.ts';
import type { ParentRefValue } from '../status/types.ts';
import { listenerAllowsKind, listenerAllowsNamespace } from './allowedroutes.ts';
import { keyOf, type TranslateContext } from './context.ts';
import { routeHostnamesForListener } from './hostnames.ts';
import type { GatewayModel, ParentModel, RouteModel } from './model.ts';

const HTTP_ROUTE_KIND = { group: GATEWAY_GROUP, kind: 'HTTPRoute' };

/** The route's parents that are our Gateways, in parentRef order (repeated parentRefs reported once). */
export function attachRoute(
  route: RouteModel,
  gateways: ReadonlyMap<string, GatewayModel>,
  ctx: TranslateContext,
): readonly ParentModel[] {
  const out: ParentModel[] = [];
  const seen = new Set<string>();
  for (const ref of route.route.spec?.parentRefs ?? []) {
    const parentRef = parentRefValue(ref, route.namespace);
    const gateway =
      parentRef.group === GATEWAY_GROUP && parentRef.kind === 'Gateway'
        ? gateways.get(keyOf(parentRef.namespace, parentRef.name))
        : undefined;
    const id = JSON.stringify(parentRef);
    if (!gateway || seen.has(id)) continue;
    seen.add(id);
    out.push(attachToGateway(route, parentRef, gateway, ctx));
  }
  return out;
}

/** The parentRef echoed in status: defaults filled in, sectionName and port only when given. */
export function parentRefValue(ref: ParentReference, routeNamespace: string): ParentRefValue {
  return {
    group: ref.group ?? GATEWAY_GROUP,
    kind: ref.kind ?? 'Gateway',
    namespace: ref.namespace || routeNamespace,
    name: ref.name,
    ...(ref.sectionName && { sectionName: ref.sectionName }),
    ...(ref.port && { port: ref.port }),
  };
}

function attachToGateway(
  route: RouteModel,
  parentRef: ParentRefValue,
  gateway: GatewayModel,
  ctx: TranslateContext,
): ParentModel {
  const base = { parentRef, gatewayKey: gateway.key, listeners: [] };
  const selected = gateway.listeners.filter(
    (l) =>
      (parentRef.sectionName === undefined || l.name === parentRef.sectionName) &&
      (parentRef.port === undefined || l.port === parentRef.port),
  );
  if (selected.length === 0) return { ...base, accepted: routeNoMatchingParent(noParentDetail(parentRef)) };
  const allowed = selected.filter(
    (l) => listenerAllowsKind(l, HTTP_ROUTE_KIND) && listenerAllowsNamespace(l, route.namespace, ctx),
  );
  if (allowed.length === 0) return { ...base, accepted: routeNotAllowedByListeners() };
  const listeners = allowed.flatMap((listener) => {
    const hostnames = routeHostnamesForListener(route.hostnames, listener.hostname);
    return hostnames ? [{ listener, hostnames }] : [];
  });
  if (listeners.length === 0) return { ...base, accepted: routeNoMatchingListenerHostname() };
  if (route.invalid) return { ...base, accepted: route.invalid };
  return { ...base, accepted: routeAccepted(), listeners };
}

function noParentDetail(ref: ParentRefValue): string {
  const parts = [
    ...(ref.sectionName !== undefined ? [`sectionName "${ref.sectionName}"`] : []),
    ...(ref.port !== undefined ? [`port ${ref.port}`] : []),
  ];
  const gateway = `Gateway ${keyOf(ref.namespace, ref.name)}`;
  return parts.length === 0 ? `${gateway} has no listeners` : `${gateway} has no listener with ${parts.join(' and ')}`;
}
