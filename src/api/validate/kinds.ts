/**
 * The kinds Archway validates, by API group and kind: served versions, scope, naming rule, top-level fields, and
 * any step that completes the object once it is valid (Secret stringData merge, Service targetPort default, ...).
 *
 * Owns: the registry table. Kinds not listed here are passed through undecoded by src/api/decode.ts.
 */
import { GATEWAY_GROUP } from '../types.ts';
import { configMapFields, finishConfigMap } from './configmap.ts';
import { endpointSliceFields, finishEndpointSlice } from './endpointslice.ts';
import { gatewaySpec } from './gateway.ts';
import { gatewayClassSpec } from './gatewayclass.ts';
import { httpRouteSpec } from './httproute.ts';
import type { Path, Report } from './issues.ts';
import { dns1035Problem, labelProblem, subdomainProblem } from './names.ts';
import { referenceGrantSpec } from './referencegrant.ts';
import { type Fields, obj, type Rec, required, type Schema } from './schema.ts';
import { finishSecret, secretFields } from './secret.ts';
import { finishService, serviceSpec } from './service.ts';

export interface KindRule {
  readonly group: string;
  readonly kind: string;
  /** Served versions; undefined accepts any (experimental kinds, checked only structurally). */
  readonly versions?: readonly string[];
  readonly namespaced: boolean;
  readonly nameProblem: (name: string) => string | undefined;
  /** Top-level fields besides apiVersion, kind, metadata and status. */
  readonly fields: Fields;
  readonly finish?: (object: Rec, at: Path, report: Report) => Rec;
}

export const X_GATEWAY_GROUP = 'gateway.networking.x-k8s.io';
const V1_V1BETA1 = ['v1', 'v1beta1'];

/** An object whose spec is only required to be an object. */
const structural = (group: string, kind: string): KindRule => ({
  group,
  kind,
  namespaced: true,
  nameProblem: subdomainProblem,
  fields: { spec: required(obj({}, [], true)) },
});

const gatewayKind = (kind: string, spec: Schema, namespaced = true): KindRule => ({
  group: GATEWAY_GROUP,
  kind,
  versions: V1_V1BETA1,
  namespaced,
  nameProblem: subdomainProblem,
  fields: { spec: required(spec) },
});

const KIND_RULES: readonly KindRule[] = [
  gatewayKind('GatewayClass', gatewayClassSpec, false),
  gatewayKind('Gateway', gatewaySpec),
  gatewayKind('HTTPRoute', httpRouteSpec),
  gatewayKind('ReferenceGrant', referenceGrantSpec),
  structural(GATEWAY_GROUP, 'GRPCRoute'),
  structural(GATEWAY_GROUP, 'TLSRoute'),
  structural(GATEWAY_GROUP, 'TCPRoute'),
  structural(GATEWAY_GROUP, 'UDPRoute'),
  structural(GATEWAY_GROUP, 'BackendTLSPolicy'),
  structural(GATEWAY_GROUP, 'ListenerSet'),
  structural(X_GATEWAY_GROUP, 'XListenerSet'),
  {
    group: '',
    kind: 'Service',
    versions: ['v1'],
    namespaced: true,
    nameProblem: dns1035Problem,
    fields: { spec: serviceSpec },
    finish: finishService,
  },
  {
    group: 'discovery.k8s.io',
    kind: 'EndpointSlice',
    versions: ['v1'],
    namespaced: true,
    nameProblem: subdomainProblem,
    fields: endpointSliceFields,
    finish: finishEndpointSlice,
  },
  {
    group: '',
    kind: 'Secret',
    versions: ['v1'],
    namespaced: true,
    nameProblem: subdomainProblem,
    fields: secretFields,
    finish: finishSecret,
  },
  {
    group: '',
    kind: 'ConfigMap',
    versions: ['v1'],
    namespaced: true,
    nameProblem: subdomainProblem,
    fields: configMapFields,
    finish: finishConfigMap,
  },
  {
    group: '',
    kind: 'Namespace',
    versions: ['v1'],
    namespaced: false,
    nameProblem: labelProblem,
    fields: { spec: obj({}, [], true) },
  },
];

const BY_GROUP_KIND = new Map(KIND_RULES.map((k) => [`${k.group}/${k.kind}`, k]));

/** The rule for an apiVersion ("group/version" or "v1") and kind, or undefined for a kind Archway does not check. */
export function kindRule(apiVersion: string, kind: string): KindRule | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return BY_GROUP_KIND.get(`${group}/${kind}`);
}

export function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}
