/**
 * ReferenceGrant (gateway.networking.k8s.io v1, v1beta1): the spec as its CRD declares it.
 *
 * Owns: the from/to lists (1 to 16 entries each) and their fields.
 */
import { group, kind, namespace, objectName } from './names.ts';
import { list, obj, required } from './schema.ts';

export const referenceGrantSpec = obj({
  from: required(
    list(obj({ group: required(group), kind: required(kind), namespace: required(namespace) }), { min: 1, max: 16 }),
  ),
  to: required(list(obj({ group: required(group), kind: required(kind), name: objectName }), { min: 1, max: 16 })),
});
