/**
 * Backend references -> clusters: Service port -> EndpointSlice endpoints -> ClusterIR.
 *
 * Owns: backendRef validity (core Service only: InvalidKind; cross-namespace needs a ReferenceGrant:
 * RefNotPermitted; the Service and its port must exist: BackendNotFound; a port is required and ExternalName
 * Services are not supported: UnsupportedValue), and the cluster for a valid ref: named "<ns>/<svc>:<port>", its
 * protocol from the Service port's appProtocol, its ready endpoints from the Service's EndpointSlices (the slice
 * port with the Service port's name). A Service without endpoints is valid; its cluster is empty (503).
 * Resolving a ref yields a ClusterRef (which Service port); the ClusterIR with its endpoints is built from it last
 * (clusterIR), so that an EndpointSlice change touches the cluster and nothing that refers to it.
 */
import { type BackendObjectReference, type EndpointSlice, GATEWAY_GROUP, type ServicePort } from '../api/types.ts';
import type { ClusterIR, EndpointIR } from '../ir/types.ts';
import { grantsOf, keyOf, serviceOf, type TranslateContext } from './context.ts';
import { referenceAllowed } from './referencegrant.ts';

/** A resolved backend: the Service port a cluster is built from. */
export interface ClusterRef {
  /** "<ns>/<svc>:<port>". */
  readonly name: string;
  readonly serviceKey: string;
  readonly port: ServicePort;
}

export interface RefProblem {
  /** ResolvedRefs reason. */
  readonly reason: string;
  readonly message: string;
}

export type BackendResult =
  | { readonly ok: true; readonly cluster: ClusterRef }
  | { readonly ok: false; readonly problem: RefProblem };

const APP_PROTOCOLS: Readonly<Record<string, ClusterIR['protocol']>> = {
  'kubernetes.io/h2c': 'h2c',
  'kubernetes.io/ws': 'ws',
  'kubernetes.io/wss': 'ws',
};

/** Resolves a backendRef of an HTTPRoute in `routeNamespace`. */
export function resolveBackend(
  ref: BackendObjectReference,
  routeNamespace: string,
  ctx: TranslateContext,
): BackendResult {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  const namespace = ref.namespace || routeNamespace;
  const fail = (reason: string, detail: string): BackendResult => ({
    ok: false,
    problem: { reason, message: `backendRef ${group || 'core'}/${kind} ${keyOf(namespace, ref.name)}: ${detail}` },
  });
  if (group !== '' || kind !== 'Service') return fail('InvalidKind', 'only core Services are supported');
  if (namespace !== routeNamespace) {
    const from = { group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: routeNamespace };
    if (!referenceAllowed(grantsOf(ctx), from, { group, kind, namespace, name: ref.name })) {
      return fail('RefNotPermitted', `no ReferenceGrant in namespace "${namespace}" allows it`);
    }
  }
  if (ref.port === undefined) return fail('UnsupportedValue', 'port is required');
  const serviceKey = keyOf(namespace, ref.name);
  const service = serviceOf(ctx, serviceKey);
  if (!service) return fail('BackendNotFound', 'Service not found');
  if (service.spec?.type === 'ExternalName') return fail('UnsupportedValue', 'ExternalName Services are not supported');
  const port = (service.spec?.ports ?? []).find((p) => p.port === ref.port);
  if (!port) return fail('BackendNotFound', `Service has no port ${ref.port}`);
  const name = `${serviceKey}:${port.port}`;
  return { ok: true, cluster: ctx.memo.share('clusterRef', name, { name, serviceKey, port }) }; // one per Service port
}

const NO_SLICES: readonly EndpointSlice[] = [];

/** The cluster of a resolved ref, with the ready endpoints of its Service's EndpointSlices (memoized). */
export function clusterIR(ctx: TranslateContext, ref: ClusterRef): ClusterIR {
  const slices = ctx.endpointSlices.get(ref.serviceKey) ?? NO_SLICES;
  return ctx.memo.cluster(ref.name, ref.port, slices, () => ({
    name: ref.name,
    protocol: APP_PROTOCOLS[ref.port.appProtocol ?? ''] ?? 'http1',
    endpoints: readyEndpoints(ref.port, slices),
  }));
}

/** The slice port with the Service port's name; for an unnamed Service port, also a slice's only port. */
function matchingSlicePort(port: ServicePort, slice: EndpointSlice) {
  const ports = slice.ports ?? [];
  const named = ports.find((p) => (p.name ?? '') === (port.name ?? ''));
  return named ?? (!port.name && ports.length === 1 ? ports[0] : undefined);
}

/** Ready endpoints (conditions.ready unset counts as ready) on the slice port named like the Service port. */
function readyEndpoints(port: ServicePort, slices: readonly EndpointSlice[]): readonly EndpointIR[] {
  const seen = new Map<string, EndpointIR>();
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    const slicePort = matchingSlicePort(port, slice);
    if (slicePort?.port === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      const address = ep.addresses?.[0]; // addresses of one endpoint are fungible: the first one is used
      if (address === undefined || ep.conditions?.ready === false) continue;
      seen.set(`${address}|${slicePort.port}`, { address, port: slicePort.port });
    }
  }
  return [...seen.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.port - b.port));
}
