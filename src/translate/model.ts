/**
 * The translator's intermediate model: Gateways, listeners and routes after validation, before IR and status.
 *
 * Owns: the facts each step hands the next (what was found invalid and why, as condition values), and the two
 * derived predicates every later step must agree on: whether a listener is accepted and whether it is programmed.
 */
import type { AllowedRoutes, Gateway, HTTPRoute } from '../api/types.ts';
import type { ClusterIR, HttpRouteIR, TlsCertificateIR } from '../ir/types.ts';
import type { ConditionValue, ParentRefValue } from '../status/types.ts';

export interface RouteKind {
  readonly group: string;
  readonly kind: string;
}

export interface ListenerModel {
  /** "ns/name" of the Gateway. */
  readonly gatewayKey: string;
  readonly gatewayNamespace: string;
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  /** 'http' | 'https' for supported protocols, null otherwise. */
  readonly kind: 'http' | 'https' | null;
  readonly hostname: string | null;
  readonly allowedRoutes: AllowedRoutes | undefined;
  /** Route kinds this listener accepts (the valid subset of allowedRoutes.kinds). */
  readonly supportedKinds: readonly RouteKind[];
  /** Accepted=False (UnsupportedProtocol, UnsupportedValue). */
  readonly acceptProblem?: ConditionValue;
  /** ResolvedRefs=False (InvalidRouteKinds, InvalidCertificateRef, RefNotPermitted). */
  readonly refProblem?: ConditionValue;
  /** Whether refProblem leaves the listener unusable (bad certificates, no valid route kind). */
  readonly refProblemBlocks: boolean;
  /** Conflicted=True (HostnameConflict, ProtocolConflict). */
  readonly conflict?: ConditionValue;
  /** OverlappingTLSConfig=True. */
  readonly overlappingTls?: ConditionValue;
  readonly tls?: TlsCertificateIR;
}

export interface GatewayModel {
  readonly gateway: Gateway;
  /** "ns/name". */
  readonly key: string;
  readonly namespace: string;
  readonly createdMs: number;
  /** Addresses every listener binds. */
  readonly addresses: readonly string[];
  /** Accepted=False for the whole Gateway (InvalidParameters, UnsupportedAddress, class not accepted). */
  readonly acceptProblem?: ConditionValue;
  /** Programmed=False for the whole Gateway (AddressNotAssigned, AddressNotUsable). */
  readonly programProblem?: ConditionValue;
  readonly listeners: readonly ListenerModel[];
}

export function listenerAccepted(l: ListenerModel): boolean {
  return l.acceptProblem === undefined && l.conflict === undefined;
}

/** A listener is programmed when it is accepted, its references resolve, and its Gateway can be programmed. */
export function listenerProgrammed(gw: GatewayModel, l: ListenerModel): boolean {
  return (
    listenerAccepted(l) && !l.refProblemBlocks && gw.acceptProblem === undefined && gw.programProblem === undefined
  );
}

/** One HTTPRoute rule match, ready for the IR except for the hostnames, which depend on the listener. */
export interface RouteEntry {
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly ir: Omit<HttpRouteIR, 'hostnames'>;
}

export interface RouteModel {
  readonly route: HTTPRoute;
  /** "ns/name". */
  readonly key: string;
  readonly namespace: string;
  readonly createdMs: number;
  readonly hostnames: readonly string[];
  readonly entries: readonly RouteEntry[];
  readonly clusters: readonly ClusterIR[];
  /** ResolvedRefs, True or False, the same for every parent. */
  readonly resolvedRefs: ConditionValue;
  /** Accepted=False when no rule of the route can be implemented (UnsupportedValue, IncompatibleFilters). */
  readonly invalid?: ConditionValue;
  /** PartiallyInvalid=True when some rules cannot be implemented (they answer 500). */
  readonly partiallyInvalid?: ConditionValue;
}

/** A route's relation to one of its parentRefs that points at one of our Gateways. */
export interface ParentModel {
  readonly parentRef: ParentRefValue;
  readonly gatewayKey: string;
  /** Accepted, True or False. */
  readonly accepted: ConditionValue;
  /** Listeners the route is attached to (empty unless accepted), with the route hostnames each one serves. */
  readonly listeners: readonly { readonly listener: ListenerModel; readonly hostnames: readonly string[] }[];
}
