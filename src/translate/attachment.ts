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
import type { ConditionValue, ParentRefValue } from '../status/types.ts';
import { listenerAllowsKind, listenerAllowsNamespace } from './allowedroutes.ts';
import { keyOf, type TranslateContext } from './context.ts';
import { routeHostnamesForListener } from './hostnames.ts';
import type { GatewayModel, ListenerModel, ParentModel, RouteModel } from './model.ts';

const HTTP_ROUTE_KIND = { group: GATEWAY_GROUP, kind: 'HTTPRoute' };
const ACCEPTED = routeAccepted();
const NO_LISTENERS: ParentModel['listeners'] = Object.freeze([]);
const NO_PARENTS: readonly ParentModel[] = Object.freeze([]);

/** The route's parents that are our Gateways, in parentRef order (repeated parentRefs reported once). */
export function attachRoute(
  route: RouteModel,
  gatewayOf: (key: string) => GatewayModel | undefined,
  ctx: TranslateContext,
): readonly ParentModel[] {
  const refs = route.route.spec?.parentRefs ?? [];
  if (refs.length === 1) {
    const parent = attachTo(route, refs[0] as ParentReference, gatewayOf, ctx);
    return parent ? [parent] : NO_PARENTS;
  }
  const out: ParentModel[] = [];
  const seen: string[] = [];
  for (const ref of refs) {
    const parent = attachTo(route, ref, gatewayOf, ctx);
    if (!parent) continue;
    const id = JSON.stringify(parent.parentRef);
    if (seen.includes(id)) continue;
    seen.push(id);
    out.push(parent);
  }
  return out;
}

function attachTo(
  route: RouteModel,
  ref: ParentReference,
  gatewayOf: (key: string) => GatewayModel | undefined,
  ctx: TranslateContext,
): ParentModel | undefined {
  const parentRef = parentRefValue(ref, route.namespace);
  const gateway =
    parentRef.group === GATEWAY_GROUP && parentRef.kind === 'Gateway'
      ? gatewayOf(keyOf(parentRef.namespace, parentRef.name))
      : undefined;
  return gateway ? attachToGateway(route, parentRef, gateway, ctx) : undefined;
}

/** The parentRef echoed in status: defaults filled in, sectionName and port only when given. */
export function parentRefValue(ref: ParentReference, routeNamespace: string): ParentRefValue {
  const value = {
    group: ref.group ?? GATEWAY_GROUP,
    kind: ref.kind ?? 'Gateway',
    namespace: ref.namespace || routeNamespace,
    name: ref.name,
  };
  if (!ref.sectionName && !ref.port) return value;
  return {
    ...value,
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
  let selected = false;
  let allowed = false;
  let listeners: { listener: ListenerModel; hostnames: readonly string[] }[] | undefined;
  for (const l of gateway.listeners) {
    if (parentRef.sectionName !== undefined && l.name !== parentRef.sectionName) continue;
    if (parentRef.port !== undefined && l.port !== parentRef.port) continue;
    selected = true;
    if (!listenerAllowsKind(l, HTTP_ROUTE_KIND) || !listenerAllowsNamespace(l, route.namespace, ctx)) continue;
    allowed = true;
    const hostnames = routeHostnamesForListener(route.hostnames, l.hostname);
    if (!hostnames) continue;
    if (listeners) listeners.push({ listener: l, hostnames });
    else listeners = [{ listener: l, hostnames }];
  }
  const key = gateway.key;
  if (!selected) return parent(parentRef, key, routeNoMatchingParent(noParentDetail(parentRef)));
  if (!allowed) return parent(parentRef, key, routeNotAllowedByListeners());
  if (!listeners) return parent(parentRef, key, routeNoMatchingListenerHostname());
  if (route.invalid) return parent(parentRef, key, route.invalid);
  return parent(parentRef, key, ACCEPTED, listeners);
}

function parent(
  parentRef: ParentRefValue,
  gatewayKey: string,
  accepted: ConditionValue,
  listeners: ParentModel['listeners'] = NO_LISTENERS,
): ParentModel {
  return { parentRef, gatewayKey, listeners, accepted };
}

function noParentDetail(ref: ParentRefValue): string {
  const parts = [
    ...(ref.sectionName !== undefined ? [`sectionName "${ref.sectionName}"`] : []),
    ...(ref.port !== undefined ? [`port ${ref.port}`] : []),
  ];
  const gateway = `Gateway ${keyOf(ref.namespace, ref.name)}`;
  return parts.length === 0 ? `${gateway} has no listeners` : `${gateway} has no listener with ${parts.join(' and ')}`;
}
