/**
 * The one place that stamps time and generation on status.
 *
 * Owns: turning the translator's status values into Kubernetes status objects: every condition gets
 * `observedGeneration` (the object's generation the status was computed from) and `lastTransitionTime`, which is kept
 * from the previous status while the condition's status value is unchanged (as the API conventions require).
 *
 * Published statuses live as long as their objects, so they share what they can: parts of the value without
 * conditions (parentRef, addresses, supportedKinds) are the value's own objects, and a stamped condition is shared
 * by every status that stamps the same condition value with the same generation and transition time (thousands of
 * routes Accepted in one reconcile hold one condition object). Stamped statuses are frozen: they are shared.
 */
import type { Condition } from '../api/types.ts';
import type { ConditionValue, StatusValue } from './types.ts';

type Json = { readonly [key: string]: unknown };

/** Stamps `next` against `prev` (the previously published status of the same object, if any). */
export function mergeStatus(prev: unknown, next: StatusValue, generation: number, now: string): Json {
  return stampValue(prev, next, generation, now) as Json;
}

function stampValue(prev: unknown, next: unknown, generation: number, now: string): unknown {
  if (Array.isArray(next)) return stampArray(prev, next, generation, now);
  if (next === null || typeof next !== 'object') return next;
  if (!stamps(next)) return next; // nothing to stamp below: the value's own object (never mutated)
  const prevObj = (prev && typeof prev === 'object' ? prev : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    out[k] =
      k === 'conditions'
        ? stampConditions(prevObj[k], v as ConditionValue[], generation, now)
        : stampValue(prevObj[k], v, generation, now);
  }
  return Object.freeze(out);
}

/** Whether an object has conditions to stamp, or a list (whose items may): a status value's parts are small. */
function stamps(value: object): boolean {
  for (const v of Object.values(value)) if (Array.isArray(v)) return true;
  return false;
}

/** Array elements are paired with their previous version by identity: `name` (listeners) or `parentRef`. */
function stampArray(prev: unknown, next: readonly unknown[], generation: number, now: string): readonly unknown[] {
  const prevList = Array.isArray(prev) ? prev : [];
  return Object.freeze(next.map((item) => stampValue(findPrevious(prevList, item), item, generation, now)));
}

function findPrevious(prevList: readonly unknown[], item: unknown): unknown {
  if (!item || typeof item !== 'object') return undefined;
  const id = identity(item as Record<string, unknown>);
  if (id === undefined) return undefined;
  return prevList.find((p) => p && typeof p === 'object' && identity(p as Record<string, unknown>) === id);
}

function identity(item: Record<string, unknown>): string | undefined {
  if ('parentRef' in item) return JSON.stringify([item.parentRef, item.controllerName]);
  if ('ancestorRef' in item) return JSON.stringify([item.ancestorRef, item.controllerName]);
  if (typeof item.name === 'string') return item.name;
  return undefined;
}

function stampConditions(prev: unknown, next: readonly ConditionValue[], generation: number, now: string): Condition[] {
  const prevList = (Array.isArray(prev) ? prev : []) as Condition[];
  const out = next.map((c) => {
    const old = prevList.find((p) => p.type === c.type);
    const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return stamped(c, generation, lastTransitionTime);
  });
  return Object.freeze(out) as Condition[];
}

/** The last condition stamped from each condition value (held weakly: values are the translator's objects). */
const lastStamped = new WeakMap<ConditionValue, Condition>();

/** `c` stamped: the object stamped last from `c` when generation and time are the same (shared, so frozen). */
function stamped(c: ConditionValue, observedGeneration: number, lastTransitionTime: string): Condition {
  const last = lastStamped.get(c);
  if (last && last.observedGeneration === observedGeneration && last.lastTransitionTime === lastTransitionTime) {
    return last;
  }
  const { type, status, reason, message } = c;
  const out = Object.freeze({ type, status, reason, message, observedGeneration, lastTransitionTime });
  lastStamped.set(c, out);
  return out;
}

/** Kubernetes' time format for conditions (RFC 3339, seconds precision). */
export function kubeTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
