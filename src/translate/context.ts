/**
 * The lookup tables one translation shares: objects by namespace/name, built once from the snapshot.
 *
 * Owns: TranslateContext and the small naming helpers every step uses (the namespace a namespaced object lives in,
 * "ns/name" keys, creation time as a number). Nothing here interprets Gateway API semantics.
 */
import type { ConfigMap, EndpointSlice, ObjectMeta, ReferenceGrant, Secret, Service } from '../api/types.ts';
import type { Snapshot } from '../store/snapshot.ts';
import type { TranslateOptions } from './types.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface TranslateContext {
  readonly opts: TranslateOptions;
  readonly referenceGrants: readonly ReferenceGrant[];
  readonly services: ReadonlyMap<string, Service>;
  /** EndpointSlices by the "ns/name" of the Service they belong to (label kubernetes.io/service-name). */
  readonly endpointSlices: ReadonlyMap<string, readonly EndpointSlice[]>;
  readonly secrets: ReadonlyMap<string, Secret>;
  readonly configMaps: ReadonlyMap<string, ConfigMap>;
  /** Labels of each Namespace object (the API server's kubernetes.io/metadata.name label is implied). */
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
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
  const t = meta.creationTimestamp === undefined ? Number.NaN : Date.parse(meta.creationTimestamp);
  return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t;
}

export function buildContext(snap: Snapshot, opts: TranslateOptions): TranslateContext {
  const byKey = <T extends { readonly metadata: ObjectMeta }>(objs: readonly T[]): Map<string, T> =>
    new Map(objs.map((o) => [keyOf(namespaceOf(o.metadata), o.metadata.name), o]));
  return {
    opts,
    referenceGrants: snap.referenceGrants,
    services: byKey(snap.services),
    endpointSlices: slicesByService(snap.endpointSlices),
    secrets: byKey(snap.secrets),
    configMaps: byKey(snap.configMaps),
    namespaceLabels: new Map(snap.namespaces.map((n) => [n.metadata.name, n.metadata.labels ?? {}])),
  };
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
  return { ...ctx.namespaceLabels.get(name), [NAMESPACE_NAME_LABEL]: name };
}
