/**
 * The translator's intermediate model: Gateways, listeners and routes after validation, before IR and status.
 *
 * Owns: the facts each step hands the next (what was found invalid and why, as condition values), and the two
 * derived predicates every later step must agree on: whether a listener is accepted and whether it is programmed.
 */
import type { AllowedRoutes, Gateway, HTTPRoute } from '../api/types.ts';
import type { HttpRouteIR, TlsCertificateIR } from '../ir/types.ts';
import type { ConditionValue, ParentRefValue } from '../status/types.ts';
import type { ClusterRef } from './backends.ts';
import type { PrecedenceKey } from './precedence.ts';

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

/**
 * One HTTPRoute rule match, ready for the IR. Its hostnames are the route's: a listener that serves other ones (an
 * intersection with its hostname) gets a copy with those (vhost.ts); the common case serves this very object.
 */
export interface RouteEntry {
  readonly ruleIndex: number;
  readonly matchIndex: number;
  /** Its place in a virtual host (precedence.ts), computed once. */
  readonly precedence: PrecedenceKey;
  readonly ir: HttpRouteIR;
}

export interface RouteModel {
  readonly route: HTTPRoute;
  /** "ns/name". */
  readonly key: string;
  readonly namespace: string;
  readonly createdMs: number;
  readonly hostnames: readonly string[];
  readonly entries: readonly RouteEntry[];
  /** The Service ports its entries' backends and mirrors use, once each (ClusterIRs are built from these last). */
  readonly clusters: readonly ClusterRef[];
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

/** A route Accepted on a listener, with the route hostnames it serves there (its first parentRef there decides). */
export interface Attachment {
  /** The listener (of listeners sharing a name in one Gateway, the first). */
  readonly listener: ListenerModel;
  readonly hostnames: readonly string[];
}

/** A route with what attachment found for it. The same object while nothing it depends on changes (memo.ts). */
export interface AttachedRoute {
  readonly model: RouteModel;
  readonly parents: readonly ParentModel[];
  /** The listeners it is Accepted on, each once, in parentRef order. */
  readonly attachments: readonly Attachment[];
}
