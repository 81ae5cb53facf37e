/**
 * Status values for every object we are responsible for: our GatewayClasses, their Gateways (with listeners), and
 * routes with at least one parentRef to those Gateways.
 *
 * Owns: condition assembly and order (Accepted, Programmed, ResolvedRefs, Conflicted, ... ), Gateway-level summaries
 * of listener validity (ListenersNotValid: Accepted stays True while at least one listener is accepted), addresses
 * (reported once the Gateway is programmed), and attachedRoutes (routes Accepted on the parent and attached to the
 * listener, counted once each, whether or not the listener itself is programmed).
 */
import {
  listenerAccepted as acceptedCondition,
  gatewayAccepted,
  gatewayListenersNotValid,
  gatewayNotProgrammed,
  gatewayProgrammed,
  listenerNoConflicts,
  listenerNotAcceptedConflicted,
  listenerNotProgrammed,
  listenerResolvedRefs,
  listenerProgrammed as programmedCondition,
} from '../status/conditions.ts';
import {
  type ConditionValue,
  type GatewayStatusValue,
  type ListenerStatusValue,
  objectKey,
  type RouteStatusValue,
  type StatusValue,
} from '../status/types.ts';
import type { TranslateContext } from './context.ts';
import type { ClassModel } from './gatewayclass.ts';
import {
  type GatewayModel,
  type ListenerModel,
  listenerAccepted,
  listenerProgrammed,
  type ParentModel,
  type RouteModel,
} from './model.ts';

export function reportStatus(
  classes: ReadonlyMap<string, ClassModel>,
  gateways: readonly GatewayModel[],
  routes: readonly RouteModel[],
  parents: ReadonlyMap<string, readonly ParentModel[]>,
  ctx: TranslateContext,
): ReadonlyMap<string, StatusValue> {
  const entries: [string, StatusValue][] = [];
  for (const cls of classes.values()) entries.push([objectKey('GatewayClass', undefined, cls.name), cls.status]);
  const attached = attachedRoutes(parents);
  for (const gw of gateways) {
    const meta = gw.gateway.metadata;
    entries.push([objectKey('Gateway', meta.namespace, meta.name), gatewayStatus(gw, attached)]);
  }
  for (const route of routes) {
    const list = parents.get(route.key) ?? [];
    if (list.length === 0) continue;
    const meta = route.route.metadata;
    entries.push([objectKey('HTTPRoute', meta.namespace, meta.name), routeStatus(route, list, ctx)]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(entries);
}

/** Route keys attached (and Accepted) per listener. */
function attachedRoutes(parents: ReadonlyMap<string, readonly ParentModel[]>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [routeKey, list] of parents) {
    for (const p of list) {
      if (p.accepted.status !== 'True') continue;
      for (const { listener } of p.listeners) {
        const id = `${p.gatewayKey}\u0000${listener.name}`;
        out.set(id, (out.get(id) ?? new Set()).add(routeKey));
      }
    }
  }
  return out;
}

function gatewayStatus(gw: GatewayModel, attached: Map<string, Set<string>>): GatewayStatusValue {
  const listeners = gw.listeners.map((l) => listenerStatus(gw, l, attached.get(`${gw.key}\u0000${l.name}`)?.size ?? 0));
  const programmed = gw.listeners.some((l) => listenerProgrammed(gw, l));
  return {
    addresses: programmed ? gw.addresses.map((value) => ({ type: 'IPAddress', value })) : [],
    conditions: [gw.acceptProblem ?? gatewayAcceptance(gw.listeners), gatewayProgramming(gw, programmed)],
    listeners,
  };
}

function gatewayAcceptance(listeners: readonly ListenerModel[]): ConditionValue {
  const invalid = listeners.filter((l) => !listenerAccepted(l) || l.refProblem !== undefined);
  if (invalid.length === 0 && listeners.length > 0) return gatewayAccepted();
  const valid = listeners.filter(listenerAccepted);
  const why = invalid.map((l) => `"${l.name}" (${(l.acceptProblem ?? l.conflict ?? l.refProblem)?.reason})`);
  const detail =
    listeners.length === 0
      ? 'Gateway has no listeners'
      : `Listener problems: ${why.join(', ')}; accepted listeners: ${valid.map((l) => `"${l.name}"`).join(', ') || 'none'}`;
  return gatewayListenersNotValid(valid.length > 0, detail);
}

function gatewayProgramming(gw: GatewayModel, programmed: boolean): ConditionValue {
  if (gw.acceptProblem) return gatewayNotProgrammed('Gateway is not accepted');
  if (gw.programProblem) return gw.programProblem;
  return programmed ? gatewayProgrammed() : gatewayNotProgrammed('No listener is programmed');
}

function listenerStatus(gw: GatewayModel, l: ListenerModel, attachedRoutes: number): ListenerStatusValue {
  const accepted =
    l.acceptProblem ??
    (l.conflict ? listenerNotAcceptedConflicted(l.conflict.reason, l.conflict.message) : acceptedCondition());
  const conditions = [
    accepted,
    listenerProgrammed(gw, l) ? programmedCondition() : listenerNotProgrammed(notProgrammedDetail(gw, l)),
    l.refProblem ?? listenerResolvedRefs(),
    l.conflict ?? listenerNoConflicts(),
    ...(l.overlappingTls ? [l.overlappingTls] : []),
  ];
  return { name: l.name, supportedKinds: l.supportedKinds, attachedRoutes, conditions };
}

function notProgrammedDetail(gw: GatewayModel, l: ListenerModel): string {
  if (gw.acceptProblem) return 'Gateway is not accepted';
  if (gw.programProblem) return gw.programProblem.message;
  if (!listenerAccepted(l)) return 'Listener is not accepted';
  return l.supportedKinds.length === 0 ? 'Listener supports no route kind' : 'Listener references are not resolved';
}

function routeStatus(route: RouteModel, parents: readonly ParentModel[], ctx: TranslateContext): RouteStatusValue {
  return {
    parents: parents.map((p) => ({
      parentRef: p.parentRef,
      controllerName: ctx.opts.controllerName,
      conditions: [
        p.accepted,
        route.resolvedRefs,
        ...(p.accepted.status === 'True' && route.partiallyInvalid ? [route.partiallyInvalid] : []),
      ],
    })),
  };
}
