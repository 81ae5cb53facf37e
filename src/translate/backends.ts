/**
 * Backend references -> clusters: Service port -> EndpointSlice endpoints -> ClusterIR.
 *
 * Owns: backendRef validity (core Service only: InvalidKind; cross-namespace needs a ReferenceGrant:
 * RefNotPermitted; the Service and its port must exist: BackendNotFound; a port is required and ExternalName
 * Services are not supported: UnsupportedValue), and the cluster for a valid ref: named "<ns>/<svc>:<port>", its
 * protocol from the Service port's appProtocol, its ready endpoints from the Service's EndpointSlices (the slice
 * port with the Service port's name). A Service without endpoints is valid; its cluster is empty (503).
 */
import { type BackendObjectReference, type EndpointSlice, GATEWAY_GROUP, type ServicePort } from '../api/types.ts';
import type { ClusterIR, EndpointIR } from '../ir/types.ts';
import { keyOf, type TranslateContext } from './context.ts';
import { referenceAllowed } from './referencegrant.ts';

export interface RefProblem {
  /** ResolvedRefs reason. */
  readonly reason: string;
  readonly message: string;
}

export type BackendResult =
  | { readonly ok: true; readonly cluster: ClusterIR }
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
  const what = `backendRef ${group || 'core'}/${kind} ${keyOf(namespace, ref.name)}`;
  const fail = (reason: string, detail: string): BackendResult => ({
    ok: false,
    problem: { reason, message: `${what}: ${detail}` },
  });
  if (group !== '' || kind !== 'Service') return fail('InvalidKind', 'only core Services are supported');
  const from = { group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: routeNamespace };
  if (!referenceAllowed(ctx.referenceGrants, from, { group, kind, namespace, name: ref.name })) {
    return fail('RefNotPermitted', `no ReferenceGrant in namespace "${namespace}" allows it`);
  }
  if (ref.port === undefined) return fail('UnsupportedValue', 'port is required');
  const service = ctx.services.get(keyOf(namespace, ref.name));
  if (!service) return fail('BackendNotFound', 'Service not found');
  if (service.spec?.type === 'ExternalName') return fail('UnsupportedValue', 'ExternalName Services are not supported');
  const port = (service.spec?.ports ?? []).find((p) => p.port === ref.port);
  if (!port) return fail('BackendNotFound', `Service has no port ${ref.port}`);
  const slices = ctx.endpointSlices.get(keyOf(namespace, ref.name)) ?? [];
  return { ok: true, cluster: buildCluster(keyOf(namespace, ref.name), port, slices) };
}

function buildCluster(serviceKey: string, port: ServicePort, slices: readonly EndpointSlice[]): ClusterIR {
  return {
    name: `${serviceKey}:${port.port}`,
    protocol: APP_PROTOCOLS[port.appProtocol ?? ''] ?? 'http1',
    endpoints: readyEndpoints(port, slices),
  };
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
