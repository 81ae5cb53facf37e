/**
 * The immutable view of every object the translator reads.
 *
 * Owns: the Snapshot shape. A snapshot is built by the store (src/store/store.ts) and never mutated afterwards;
 * each list is sorted by namespace/name so that everything downstream is deterministic.
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

export interface Snapshot {
  readonly gatewayClasses: readonly GatewayClass[];
  readonly gateways: readonly Gateway[];
  readonly httpRoutes: readonly HTTPRoute[];
  readonly referenceGrants: readonly ReferenceGrant[];
  readonly namespaces: readonly Namespace[];
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  readonly secrets: readonly Secret[];
  readonly configMaps: readonly ConfigMap[];
  /** Gateway API kinds Archway stores but does not translate yet (GRPCRoute, TLSRoute, ...), by kind. */
  readonly other: Readonly<Record<string, readonly KubeObject[]>>;
}

export const emptySnapshot: Snapshot = {
  gatewayClasses: [],
  gateways: [],
  httpRoutes: [],
  referenceGrants: [],
  namespaces: [],
  services: [],
  endpointSlices: [],
  secrets: [],
  configMaps: [],
  other: {},
};
