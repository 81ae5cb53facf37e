/**
 * Status values for every object we are responsible for: our GatewayClasses, their Gateways (with listeners), and
 * routes with at least one parentRef to those Gateways.
 *
 * Owns: condition assembly and order (Accepted, Programmed, ResolvedRefs, Conflicted, ... ), Gateway-level summaries
 * of listener validity (ListenersNotValid: Accepted stays True while at least one listener is accepted), Programmed
 * (True while at least one listener is programmed and bound; a listener the data plane failed to bind is Pending),
 * addresses (those with a programmed, bound listener), and attachedRoutes (routes Accepted on the parent and attached
 * to the listener, counted once each, whether or not the listener itself is programmed). Status values equal to the
 * previous translation's are that same object (memo.ts), so publishing can skip them by identity.
 */

import { intern } from '../lib/intern.ts';
import {
  listenerAccepted as acceptedCondition,
  gatewayAccepted,
  gatewayListenersNotValid,
  gatewayNotProgrammed,
  gatewayPending,
  gatewayProgrammed,
  listenerNoConflicts,
  listenerNotAcceptedConflicted,
  listenerNotProgrammed,
  listenerPending,
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
import type { ListenerRoutes } from './attached.ts';
import { bindFailure, boundAddresses } from './binds.ts';
import type { TranslateContext } from './context.ts';
import type { ClassModel } from './gatewayclass.ts';
import type { RoutesStep } from './memo.ts';
import {
  type AttachedRoute,
  type GatewayModel,
  type ListenerModel,
  listenerAccepted,
  listenerProgrammed,
} from './model.ts';
import { type StatusEntry, StatusMap } from './statusmap.ts';

/** Above this many changed routes (and a sixteenth of all), route statuses are listed again rather than updated. */
const MAX_UPDATE = 256;

/** Route status entries sorted by key, and the controller name they were reported for (kept by the memo). */
interface RouteEntries {
  readonly controller: string;
  readonly entries: readonly StatusEntry[];
}

export function reportStatus(
  classes: ReadonlyMap<string, ClassModel>,
  gateways: readonly GatewayModel[],
  step: RoutesStep,
  attached: ListenerRoutes,
  canonical: (l: ListenerModel) => ListenerModel,
  ctx: TranslateContext,
): StatusMap {
  const head: StatusEntry[] = [];
  // A status value is reused only for the same object: an unchanged value then also means an unchanged generation.
  const stable = (key: string, value: StatusValue, source: object) =>
    [key, ctx.memo.stable('status', key, value, source)] as const;
  for (const gw of gateways) {
    const meta = gw.gateway.metadata;
    const value = gatewayStatus(gw, attached, canonical, ctx.opts.unboundListeners);
    head.push(stable(objectKey('Gateway', meta.namespace, meta.name), value, gw.gateway));
  }
  for (const cls of classes.values()) {
    head.push(stable(objectKey('GatewayClass', undefined, cls.name), cls.status, cls.object));
  }
  if (!isSorted(head)) head.sort(byKey);
  const controller = ctx.opts.controllerName;
  const prev = ctx.memo.previous<RouteEntries>('routeStatuses', '');
  const since = ctx.memo.previous<object>('statusMap', '');
  const updated = prev && since && prev.controller === controller ? update(prev.entries, step, controller, ctx) : null;
  const entries = updated?.entries ?? listAll(step.routes, controller, ctx);
  ctx.memo.keep('routeStatuses', '', { controller, entries });
  // "Gateway/..." and "GatewayClass/..." sort before "HTTPRoute/...": head then routes is in key order.
  const changes = updated && since ? { since, keys: [...head.map((e) => e[0]), ...updated.keys] } : undefined;
  const out = new StatusMap(head, entries, changes);
  ctx.memo.keep('statusMap', '', out.token);
  return out;
}

const byKey = (a: StatusEntry, b: StatusEntry): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function isSorted(entries: readonly StatusEntry[]): boolean {
  for (let i = 1; i < entries.length; i++)
    if ((entries[i - 1] as StatusEntry)[0] > (entries[i] as StatusEntry)[0]) return false;
  return true;
}

/** The status entry of every route with a parent of ours, sorted by key. */
function listAll(routes: readonly AttachedRoute[], controller: string, ctx: TranslateContext): StatusEntry[] {
  const entries: StatusEntry[] = [];
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i] as AttachedRoute;
    if (route.parents.length > 0) entries.push(ctx.memo.routeStatus(route, controller, routeStatus));
  }
  if (!isSorted(entries)) entries.sort(byKey);
  return entries;
}

/**
 * The previous route entries with those of the routes that went taken out and those of the routes that came put in
 * (an unchanged AttachedRoute has the same status entry), and the keys that changed; null when the change is large
 * or the previous entries do not hold what the step says went (then everything is listed again).
 */
function update(
  prev: readonly StatusEntry[],
  step: RoutesStep,
  controller: string,
  ctx: TranslateContext,
): { readonly entries: readonly StatusEntry[]; readonly keys: readonly string[] } | null {
  const n = step.removed.length + step.added.length;
  if (n > MAX_UPDATE && n > step.routes.length / 16) return null;
  if (n === 0) return { entries: prev, keys: [] };
  const entries = prev.slice();
  const keys: string[] = [];
  for (const route of step.removed) {
    if (route.parents.length === 0) continue;
    const entry = ctx.memo.routeStatus(route, controller, routeStatus);
    const at = search(entries, entry[0]);
    if (at < 0 || entries[at] !== entry) return null;
    entries.splice(at, 1);
    keys.push(entry[0]);
  }
  for (const route of step.added) {
    if (route.parents.length === 0) continue;
    const entry = ctx.memo.routeStatus(route, controller, routeStatus);
    const at = search(entries, entry[0]);
    if (at >= 0) return null; // two routes with one key: not a state this can update
    entries.splice(~at, 0, entry);
    keys.push(entry[0]);
  }
  return { entries, keys };
}

/** The index of `key` in `entries` (sorted by key), or ~(where it would go). */
function search(entries: readonly StatusEntry[], key: string): number {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = (entries[mid] as StatusEntry)[0];
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return mid;
  }
  return ~lo;
}

function gatewayStatus(
  gw: GatewayModel,
  attached: ListenerRoutes,
  canonical: (l: ListenerModel) => ListenerModel,
  unbound: ReadonlyMap<string, string> | undefined,
): GatewayStatusValue {
  const failures = gw.listeners.map((l) => (listenerProgrammed(gw, l) ? bindFailure(gw, l, unbound) : undefined));
  const online = gw.listeners.filter((l, i) => listenerProgrammed(gw, l) && failures[i] === undefined);
  const listeners = gw.listeners.map((l, i) => listenerStatus(gw, l, attached.count(canonical(l)), failures[i]));
  const pending = gw.listeners.flatMap((l, i) => (failures[i] ? [`listener "${l.name}": ${failures[i]}`] : []));
  return {
    addresses: boundAddresses(gw, online, unbound).map((value) => ({ type: 'IPAddress', value })),
    conditions: [gw.acceptProblem ?? gatewayAcceptance(gw.listeners), gatewayProgramming(gw, online, pending)],
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

/**
 * Programmed=True while at least one listener is programmed and bound; Pending when the valid listeners all failed
 * to bind (the data plane keeps trying).
 */
function gatewayProgramming(
  gw: GatewayModel,
  online: readonly ListenerModel[],
  pending: readonly string[],
): ConditionValue {
  if (gw.acceptProblem) return gatewayNotProgrammed('Gateway is not accepted');
  if (gw.programProblem) return gw.programProblem;
  if (online.length > 0) return gatewayProgrammed();
  return pending.length > 0
    ? gatewayPending(`No listener is bound yet (retrying): ${pending.join('; ')}`)
    : gatewayNotProgrammed('No listener is programmed');
}

function listenerStatus(
  gw: GatewayModel,
  l: ListenerModel,
  attachedRoutes: number,
  bindFailed: string | undefined,
): ListenerStatusValue {
  const accepted =
    l.acceptProblem ??
    (l.conflict ? listenerNotAcceptedConflicted(l.conflict.reason, l.conflict.message) : acceptedCondition());
  const programmed = !listenerProgrammed(gw, l)
    ? listenerNotProgrammed(notProgrammedDetail(gw, l))
    : bindFailed !== undefined
      ? listenerPending(`Not bound yet (retrying): ${bindFailed}`)
      : programmedCondition();
  const conditions = [
    accepted,
    programmed,
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

/** The route's status key and value. */
function routeStatus({ model, parents }: AttachedRoute, controllerName: string): readonly [string, RouteStatusValue] {
  const meta = model.route.metadata;
  const value = {
    parents: parents.map((p) => ({
      parentRef: p.parentRef,
      controllerName,
      conditions: [
        p.accepted,
        model.resolvedRefs,
        ...(p.accepted.status === 'True' && model.partiallyInvalid ? [model.partiallyInvalid] : []),
      ],
    })),
  };
  return [intern(objectKey('HTTPRoute', meta.namespace, meta.name)), value]; // the store's key string (kept long)
}
