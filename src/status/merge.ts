/**
 * The one place that stamps time and generation on status.
 *
 * Owns: turning the translator's status values into Kubernetes status objects: every condition gets
 * `observedGeneration` (the object's generation the status was computed from) and `lastTransitionTime`, which is kept
 * from the previous status while the condition's status value is unchanged (as the API conventions require).
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
  const prevObj = (prev && typeof prev === 'object' ? prev : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    out[k] =
      k === 'conditions'
        ? stampConditions(prevObj[k], v as ConditionValue[], generation, now)
        : stampValue(prevObj[k], v, generation, now);
  }
  return out;
}

/** Array elements are paired with their previous version by identity: `name` (listeners) or `parentRef`. */
function stampArray(prev: unknown, next: readonly unknown[], generation: number, now: string): unknown[] {
  const prevList = Array.isArray(prev) ? prev : [];
  return next.map((item) => stampValue(findPrevious(prevList, item), item, generation, now));
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
  return next.map((c) => {
    const old = prevList.find((p) => p.type === c.type);
    const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return {
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      observedGeneration: generation,
      lastTransitionTime,
    };
  });
}

/** Kubernetes' time format for conditions (RFC 3339, seconds precision). */
export function kubeTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
