/**
 * GatewayClass (gateway.networking.k8s.io v1, v1beta1): the spec as its CRD declares it.
 *
 * Owns: the controllerName form (domain-prefixed path), description length and parametersRef.
 */
import { namespacedObjectRef } from './refs.ts';
import { obj, required, str } from './schema.ts';

const CONTROLLER_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

export const gatewayClassSpec = obj({
  controllerName: required(
    str({
      min: 1,
      max: 253,
      pattern: CONTROLLER_NAME,
      message: 'must be a domain-prefixed path, such as "example.com/gateway-controller"',
    }),
  ),
  parametersRef: namespacedObjectRef,
  description: str({ max: 64 }),
});
