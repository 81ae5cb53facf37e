/**
 * The Gateway API features Archway claims (GEP-2162), published in GatewayClass status.supportedFeatures.
 *
 * Owns: the claim. A feature is listed here only when its conformance tests pass with the runner in
 * ../shared/conformance (see conformance/ratchet.txt); listing one that fails is a bug.
 */
export const SUPPORTED_FEATURES: readonly string[] = ['Gateway', 'HTTPRoute', 'ReferenceGrant'].sort();
