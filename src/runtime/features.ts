/**
 * The Gateway API features Archway claims (GEP-2162), published in GatewayClass status.supportedFeatures.
 *
 * Owns: the claim. A feature is listed here only when every conformance test that needs it passes with the runner in
 * ../shared/conformance, and those tests are in conformance/ratchet.txt. Listing one that fails is a bug.
 */
export const SUPPORTED_FEATURES: readonly string[] = [
  // GATEWAY-HTTP core
  'Gateway',
  'HTTPRoute',
  'ReferenceGrant',
  // Gateway extended
  'GatewayAddressEmpty',
  'GatewayHTTPListenerIsolation',
  'GatewayPort8080',
  'GatewayStaticAddresses',
  // HTTPRoute extended
  'HTTPRoute303RedirectStatusCode',
  'HTTPRoute307RedirectStatusCode',
  'HTTPRoute308RedirectStatusCode',
  'HTTPRouteBackendProtocolWebSocket',
  'HTTPRouteBackendRequestHeaderModification',
  'HTTPRouteBackendRequestRedirect',
  'HTTPRouteBackendTimeout',
  'HTTPRouteBackendURLRewrite',
  'HTTPRouteDestinationPortMatching',
  'HTTPRouteHostRewrite',
  'HTTPRouteMethodMatching',
  'HTTPRouteNamedRouteRule',
  'HTTPRouteParentRefPort',
  'HTTPRoutePathRedirect',
  'HTTPRoutePathRewrite',
  'HTTPRoutePortRedirect',
  'HTTPRouteQueryParamMatching',
  'HTTPRouteRequestMirror',
  'HTTPRouteRequestMultipleMirrors',
  'HTTPRouteRequestPercentageMirror',
  'HTTPRouteRequestTimeout',
  'HTTPRouteResponseHeaderModification',
  'HTTPRouteRetry',
  'HTTPRouteRetryBackendTimeout',
  'HTTPRouteRetryConnectionError',
  'HTTPRouteSchemeRedirect',
].sort();
