/**
 * Test fixtures: a Snapshot from a list of decoded objects, without the store.
 *
 * Owns: sorting objects into the Snapshot fields by kind, each list sorted by namespace/name as the store does.
 * Used by the golden tests; it trusts its input (testdata is hand-written, not user input).
 */
import type {
  ConfigMap,
  EndpointSlice,
  Gateway,
  GatewayClass,
  HTTPRoute,
  KubeObject,
  Namespace,
  ReferenceGrant,
  Secret,
  Service,
} from '../api/types.ts';
import type { Snapshot } from '../store/snapshot.ts';

function byNamespacedName(a: KubeObject, b: KubeObject): number {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function snapshotFromObjects(objects: readonly KubeObject[]): Snapshot {
  const sorted = [...objects].sort(byNamespacedName);
  const of = <T extends KubeObject>(kind: string): T[] => sorted.filter((o) => o.kind === kind) as T[];
  const known = new Set([
    'GatewayClass',
    'Gateway',
    'HTTPRoute',
    'ReferenceGrant',
    'Namespace',
    'Service',
    'EndpointSlice',
    'Secret',
    'ConfigMap',
  ]);
  const other: Record<string, KubeObject[]> = {};
  for (const o of sorted) {
    if (!known.has(o.kind)) other[o.kind] = [...(other[o.kind] ?? []), o];
  }
  return {
    gatewayClasses: of<GatewayClass>('GatewayClass'),
    gateways: of<Gateway>('Gateway'),
    httpRoutes: of<HTTPRoute>('HTTPRoute'),
    referenceGrants: of<ReferenceGrant>('ReferenceGrant'),
    namespaces: of<Namespace>('Namespace'),
    services: of<Service>('Service'),
    endpointSlices: of<EndpointSlice>('EndpointSlice'),
    secrets: of<Secret>('Secret'),
    configMaps: of<ConfigMap>('ConfigMap'),
    other,
  };
}
