/**
 * Condition constructors: every condition the translator reports, as a value.
 *
 * Owns: the exact type / status / reason of each condition (the Gateway API names them in apis/v1/*_types.go) and
 * its human message. Nothing here knows about time or generation (src/status/merge.ts stamps those).
 */
import type { ConditionValue } from './types.ts';

const cond = (type: string, status: ConditionValue['status'], reason: string, message: string): ConditionValue => ({
  type,
  status,
  reason,
  message,
});

// ---------------------------------------------------------------------------------------------- GatewayClass

export const gatewayClassAccepted = (): ConditionValue =>
  cond('Accepted', 'True', 'Accepted', 'GatewayClass is accepted by this controller');
export const gatewayClassInvalidParameters = (detail: string): ConditionValue =>
  cond('Accepted', 'False', 'InvalidParameters', `Invalid parametersRef: ${detail}`);
export const gatewayClassSupportedVersion = (): ConditionValue =>
  cond('SupportedVersion', 'True', 'SupportedVersion', 'Gateway API version is supported');

// ---------------------------------------------------------------------------------------------- Gateway

export const gatewayAccepted = (): ConditionValue => cond('Accepted', 'True', 'Accepted', 'Gateway is accepted');
/** Some listeners are invalid: the Gateway is still Accepted while at least one listener is (`accepted`). */
export const gatewayListenersNotValid = (accepted: boolean, detail: string): ConditionValue =>
  cond('Accepted', accepted ? 'True' : 'False', 'ListenersNotValid', detail);
export const gatewayInvalidParameters = (detail: string): ConditionValue =>
  cond('Accepted', 'False', 'InvalidParameters', `Invalid infrastructure.parametersRef: ${detail}`);
export const gatewayUnsupportedAddress = (detail: string): ConditionValue =>
  cond('Accepted', 'False', 'UnsupportedAddress', detail);
export const gatewayClassNotAccepted = (className: string): ConditionValue =>
  cond('Accepted', 'False', 'Invalid', `GatewayClass "${className}" is not accepted`);
export const gatewayProgrammed = (): ConditionValue =>
  cond('Programmed', 'True', 'Programmed', 'Gateway is programmed in the data plane');
export const gatewayNotProgrammed = (detail: string): ConditionValue => cond('Programmed', 'False', 'Invalid', detail);
/** No listener is online yet (the data plane could not bind them; it keeps trying). */
export const gatewayPending = (detail: string): ConditionValue => cond('Programmed', 'False', 'Pending', detail);
export const gatewayAddressNotAssigned = (detail: string): ConditionValue =>
  cond('Programmed', 'False', 'AddressNotAssigned', detail);
export const gatewayAddressNotUsable = (detail: string): ConditionValue =>
  cond('Programmed', 'False', 'AddressNotUsable', detail);

// ---------------------------------------------------------------------------------------------- Listener

export const listenerAccepted = (): ConditionValue => cond('Accepted', 'True', 'Accepted', 'Listener is accepted');
export const listenerUnsupportedProtocol = (protocol: string): ConditionValue =>
  cond('Accepted', 'False', 'UnsupportedProtocol', `Protocol "${protocol}" is not supported; use HTTP or HTTPS`);
export const listenerUnsupportedValue = (detail: string): ConditionValue =>
  cond('Accepted', 'False', 'UnsupportedValue', detail);
/** A conflicted listener is not accepted; the reason repeats the conflict (HostnameConflict / ProtocolConflict). */
export const listenerNotAcceptedConflicted = (reason: string, detail: string): ConditionValue =>
  cond('Accepted', 'False', reason, detail);
export const listenerProgrammed = (): ConditionValue =>
  cond('Programmed', 'True', 'Programmed', 'Listener is programmed in the data plane');
export const listenerNotProgrammed = (detail: string): ConditionValue => cond('Programmed', 'False', 'Invalid', detail);
/** Valid, but not online yet: the data plane could not bind it (port in use...) and keeps trying. */
export const listenerPending = (detail: string): ConditionValue => cond('Programmed', 'False', 'Pending', detail);
export const listenerResolvedRefs = (): ConditionValue =>
  cond('ResolvedRefs', 'True', 'ResolvedRefs', 'All references are resolved');
export const listenerInvalidCertificateRef = (detail: string): ConditionValue =>
  cond('ResolvedRefs', 'False', 'InvalidCertificateRef', detail);
export const listenerRefNotPermitted = (detail: string): ConditionValue =>
  cond('ResolvedRefs', 'False', 'RefNotPermitted', detail);
export const listenerInvalidRouteKinds = (detail: string): ConditionValue =>
  cond('ResolvedRefs', 'False', 'InvalidRouteKinds', detail);
export const listenerNoConflicts = (): ConditionValue =>
  cond('Conflicted', 'False', 'NoConflicts', 'No conflicts with other listeners');
export const listenerHostnameConflict = (detail: string): ConditionValue =>
  cond('Conflicted', 'True', 'HostnameConflict', detail);
export const listenerProtocolConflict = (detail: string): ConditionValue =>
  cond('Conflicted', 'True', 'ProtocolConflict', detail);
export const listenerOverlappingHostnames = (detail: string): ConditionValue =>
  cond('OverlappingTLSConfig', 'True', 'OverlappingHostnames', detail);

// ---------------------------------------------------------------------------------------------- Route

export const routeAccepted = (): ConditionValue => cond('Accepted', 'True', 'Accepted', 'Route is accepted');
export const routeNotAllowedByListeners = (): ConditionValue =>
  cond('Accepted', 'False', 'NotAllowedByListeners', 'No listener allows this route');
export const routeNoMatchingListenerHostname = (): ConditionValue =>
  cond('Accepted', 'False', 'NoMatchingListenerHostname', 'No listener hostname intersects the route hostnames');
export const routeNoMatchingParent = (detail: string): ConditionValue =>
  cond('Accepted', 'False', 'NoMatchingParent', detail);
export const routeUnsupportedValue = (detail: string): ConditionValue =>
  cond('Accepted', 'False', 'UnsupportedValue', detail);
export const routeIncompatibleFilters = (detail: string): ConditionValue =>
  cond('Accepted', 'False', 'IncompatibleFilters', detail);
export const routePartiallyInvalid = (detail: string): ConditionValue =>
  cond('PartiallyInvalid', 'True', 'UnsupportedValue', detail);
export const routeResolvedRefs = (): ConditionValue =>
  cond('ResolvedRefs', 'True', 'ResolvedRefs', 'All references are resolved');
/** ResolvedRefs=False with one of RefNotPermitted, InvalidKind, BackendNotFound, UnsupportedProtocol, UnsupportedValue. */
export const routeUnresolvedRefs = (reason: string, detail: string): ConditionValue =>
  cond('ResolvedRefs', 'False', reason, detail);
