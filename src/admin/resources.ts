/**
 * The Kubernetes REST resources the admin read API serves: group, plural and kind, as the API server names them.
 *
 * Owns: the plural <-> kind table. Versions are not checked: every served version returns the same object, with
 * `apiVersion` set to the one asked for.
 */

export interface Resource {
  readonly group: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const GW = 'gateway.networking.k8s.io';
const GWX = 'gateway.networking.x-k8s.io';

export const RESOURCES: readonly Resource[] = [
  { group: GW, plural: 'gatewayclasses', kind: 'GatewayClass', namespaced: false },
  { group: GW, plural: 'gateways', kind: 'Gateway', namespaced: true },
  { group: GW, plural: 'httproutes', kind: 'HTTPRoute', namespaced: true },
  { group: GW, plural: 'grpcroutes', kind: 'GRPCRoute', namespaced: true },
  { group: GW, plural: 'tlsroutes', kind: 'TLSRoute', namespaced: true },
  { group: GW, plural: 'tcproutes', kind: 'TCPRoute', namespaced: true },
  { group: GW, plural: 'udproutes', kind: 'UDPRoute', namespaced: true },
  { group: GW, plural: 'referencegrants', kind: 'ReferenceGrant', namespaced: true },
  { group: GW, plural: 'backendtlspolicies', kind: 'BackendTLSPolicy', namespaced: true },
  { group: GW, plural: 'listenersets', kind: 'ListenerSet', namespaced: true },
  { group: GWX, plural: 'xlistenersets', kind: 'XListenerSet', namespaced: true },
  { group: '', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', plural: 'services', kind: 'Service', namespaced: true },
  { group: '', plural: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: 'discovery.k8s.io', plural: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
];

const byGroupPlural = new Map(RESOURCES.map((r) => [`${r.group}/${r.plural}`, r]));

export function findResource(group: string, plural: string): Resource | undefined {
  return byGroupPlural.get(`${group}/${plural}`);
}

export interface ResourcePath {
  readonly resource: Resource;
  readonly apiVersion: string;
  readonly namespace?: string;
  readonly name?: string;
}

/**
 * Parses `/api/v1/...` and `/apis/{group}/{version}/...` paths:
 * `[namespaces/{ns}/]{plural}[/{name}]`. Returns undefined for anything else.
 */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === 'api') {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1] ?? '';
    version = parts[2];
    rest = parts.slice(3);
  } else return undefined;
  if (!version) return undefined;
  const apiVersion = group ? `${group}/${version}` : version;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const plural = rest[0];
  if (!plural || rest.length > 2) return undefined;
  const resource = findResource(group, plural);
  if (!resource) return undefined;
  const name = rest[1];
  return {
    resource,
    apiVersion,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}
