/**
 * The lookup tables one translation shares: objects by namespace/name, built once from the snapshot.
 *
 * Owns: TranslateContext, the lookups every step reads objects through (serviceOf, secretOf, configMapExists,
 * grantsOf, labelsOfNamespace), and the small naming helpers every step uses (the namespace a namespaced object
 * lives in, "ns/name" keys, creation time as a number). A context may carry a Dependencies record: every lookup made
 * through it is written down, so that a memoized result (memo.ts) can later be checked against a newer snapshot.
 * Nothing here interprets Gateway API semantics.
 */
import type { ConfigMap, EndpointSlice, ObjectMeta, ReferenceGrant, Secret, Service } from '../api/types.ts';
import type { Snapshot } from '../store/snapshot.ts';
import type { Memo } from './memo.ts';
import type { TranslateOptions } from './types.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** The tables a lookup can read; a dependency names the table, the key and the value it saw. */
export interface Tables {
  readonly services: ReadonlyMap<string, Service>;
  readonly secrets: ReadonlyMap<string, Secret>;
  readonly configMaps: ReadonlyMap<string, ConfigMap>;
  /** Labels of each Namespace object (the API server's kubernetes.io/metadata.name label is implied). */
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

interface Lookup {
  readonly table: keyof Tables;
  readonly key: string;
  readonly value: unknown;
}

/** What a computation read: each table lookup (with the value seen) and whether it consulted ReferenceGrants. */
export interface Dependencies {
  readonly lookups: Lookup[];
  grants: boolean;
}

/**
 * Dependencies as kept with a memoized result, for as long as it lives: each distinct lookup once, flat (table,
 * key, value, table, key, value, ...) in an exactly sized array; no lookups and no grants is one shared object.
 */
export interface KeptDependencies {
  readonly lookups: readonly unknown[];
  readonly grants: boolean;
}

const NO_DEPS: KeptDependencies = Object.freeze({ lookups: Object.freeze([]), grants: false });

/** `deps` in the form kept with a result (see KeptDependencies). */
export function keepDependencies(deps: Dependencies | null): KeptDependencies {
  if (!deps || (deps.lookups.length === 0 && !deps.grants)) return NO_DEPS;
  const flat: unknown[] = [];
  for (const l of deps.lookups) {
    let seen = false;
    for (let i = 0; i < flat.length && !seen; i += 3) seen = flat[i] === l.table && flat[i + 1] === l.key;
    if (!seen) flat.push(l.table, l.key, l.value);
  }
  return { lookups: flat.slice(), grants: deps.grants };
}

export interface TranslateContext extends Tables {
  readonly opts: TranslateOptions;
  readonly referenceGrants: readonly ReferenceGrant[];
  /** EndpointSlices by the "ns/name" of the Service they belong to (label kubernetes.io/service-name). */
  readonly endpointSlices: ReadonlyMap<string, readonly EndpointSlice[]>;
  /** Results kept from the previous translation and collected for the next one. */
  readonly memo: Memo;
  /** Where lookups are recorded, or null. */
  readonly deps: Dependencies | null;
}

/** The namespace of a namespaced object; objects decoded without one live in "default", as kubectl would put them. */
export function namespaceOf(meta: ObjectMeta): string {
  return meta.namespace || 'default';
}

export function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** metadata.creationTimestamp in ms; objects without one sort after all others (they are the newest we know of). */
export function createdMs(meta: ObjectMeta): number {
  const text = meta.creationTimestamp;
  const t = text === undefined ? Number.NaN : (utcMs(text) ?? Date.parse(text));
  return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t;
}

/**
 * Date.parse for the common form "YYYY-MM-DDTHH:MM:SS[.sss]Z" with a day up to 28 (valid in every month), without
 * the general parser; undefined for anything else (Date.UTC reads years below 100 as 19xx: those too).
 */
function utcMs(s: string): number | undefined {
  const n = s.length;
  if ((n !== 20 && n !== 24) || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') {
    return undefined;
  }
  if (s[n - 1] !== 'Z' || (n === 24 && s[19] !== '.')) return undefined;
  const num = (from: number, len: number): number => {
    let v = 0;
    for (let i = from; i < from + len; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return Number.NaN;
      v = v * 10 + d;
    }
    return v;
  };
  const [y, mo, d, h, mi, sec] = [num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)];
  const ms = n === 24 ? num(20, 3) : 0;
  if (!(y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 28 && h <= 23 && mi <= 59 && sec <= 59 && ms >= 0))
    return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

export function buildContext(snap: Snapshot, opts: TranslateOptions, memo: Memo): TranslateContext {
  const byKey = <T extends { readonly metadata: ObjectMeta }>(objs: readonly T[]): Map<string, T> => {
    const out = new Map<string, T>();
    for (const o of objs) out.set(keyOf(namespaceOf(o.metadata), o.metadata.name), o);
    return out;
  };
  const namespaceLabels = new Map<string, Readonly<Record<string, string>>>();
  for (const n of snap.namespaces) namespaceLabels.set(n.metadata.name, n.metadata.labels ?? NO_LABELS);
  return {
    opts,
    referenceGrants: snap.referenceGrants,
    services: byKey(snap.services),
    endpointSlices: slicesByService(snap.endpointSlices),
    secrets: byKey(snap.secrets),
    configMaps: byKey(snap.configMaps),
    namespaceLabels,
    memo,
    deps: null,
  };
}

/** The same context, recording every lookup made through it into a fresh Dependencies. */
export function tracking(ctx: TranslateContext): TranslateContext {
  return { ...ctx, deps: { lookups: [], grants: false } };
}

/** Whether every lookup in `deps` would see the same value in `ctx` (grants: whether they are unchanged). */
export function stillValid(deps: KeptDependencies, ctx: TranslateContext, grantsUnchanged: boolean): boolean {
  if (deps.grants && !grantsUnchanged) return false;
  const { lookups } = deps;
  for (let i = 0; i < lookups.length; i += 3) {
    if (ctx[lookups[i] as keyof Tables].get(lookups[i + 1] as string) !== lookups[i + 2]) return false;
  }
  return true;
}

function lookup<K extends keyof Tables>(ctx: TranslateContext, table: K, key: string) {
  const value = ctx[table].get(key) as ReturnType<Tables[K]['get']>;
  ctx.deps?.lookups.push({ table, key, value });
  return value;
}

export function serviceOf(ctx: TranslateContext, key: string): Service | undefined {
  return lookup(ctx, 'services', key);
}

export function secretOf(ctx: TranslateContext, key: string): Secret | undefined {
  return lookup(ctx, 'secrets', key);
}

export function configMapExists(ctx: TranslateContext, key: string): boolean {
  return lookup(ctx, 'configMaps', key) !== undefined;
}

export function grantsOf(ctx: TranslateContext): readonly ReferenceGrant[] {
  if (ctx.deps) ctx.deps.grants = true;
  return ctx.referenceGrants;
}

function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    const key = keyOf(namespaceOf(slice.metadata), service);
    const list = out.get(key);
    if (list) list.push(slice);
    else out.set(key, [slice]);
  }
  return out;
}

/** The labels of namespace `name`, including the kubernetes.io/metadata.name label the API server always sets. */
export function labelsOfNamespace(ctx: TranslateContext, name: string): Readonly<Record<string, string>> {
  return { ...lookup(ctx, 'namespaceLabels', name), [NAMESPACE_NAME_LABEL]: name };
}
