/**
 * References between objects, as the Gateway API CRDs declare them: ParentReference, BackendObjectReference,
 * SecretObjectReference, LocalObjectReference, and the parentRefs list rules every route shares.
 *
 * Owns: their fields, the API-server defaults (parentRef group/kind Gateway, backendRef group "" / kind Service,
 * secret group "" / kind Secret) and the "Must have port for Service reference" rule.
 */
import { GATEWAY_GROUP, type ParentReference } from '../types.ts';
import { group, kind, namespace, objectName, sectionName } from './names.ts';
import { type Fields, int, list, obj, type Rule, required, rule, withDefault } from './schema.ts';

export const portNumber = int({ min: 1, max: 65535 });

export const parentRef = obj({
  group: withDefault(group, GATEWAY_GROUP),
  kind: withDefault(kind, 'Gateway'),
  namespace,
  name: required(objectName),
  sectionName,
  port: portNumber,
});

interface BackendRefLike {
  readonly group?: string;
  readonly kind?: string;
  readonly port?: number;
}

export const servicePortRule: Rule<BackendRefLike> = rule(
  'port is required when referring to a Service',
  (r) => !(r.group === '' && r.kind === 'Service' && r.port === undefined),
  ['port'],
);

/** BackendObjectReference fields (group "" / kind Service by default). */
export const backendObjectRefFields: Fields = {
  group: withDefault(group, ''),
  kind: withDefault(kind, 'Service'),
  name: required(objectName),
  namespace,
  port: portNumber,
};

export const backendObjectRef = obj(backendObjectRefFields, [servicePortRule]);

export const secretObjectRef = obj({
  group: withDefault(group, ''),
  kind: withDefault(kind, 'Secret'),
  name: required(objectName),
  namespace,
});

export const localObjectRef = obj({ group: required(group), kind: required(kind), name: required(objectName) });

/** LocalObjectReference-like references that also name a namespace (ParametersReference, CA certificate refs). */
export const namespacedObjectRef = obj({
  group: required(group),
  kind: required(kind),
  name: required(objectName),
  namespace,
});

export const weight = withDefault(int({ min: 0, max: 1_000_000 }), 1);

function sameParent(a: ParentReference, b: ParentReference): boolean {
  return a.group === b.group && a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

/**
 * The parentRefs rules: several references to one parent must each set sectionName (or port), and must not repeat
 * the same sectionName/port.
 */
const parentRefsRule: Rule<readonly ParentReference[]> = (refs, at, report) => {
  refs.forEach((p1, i) => {
    for (let j = 0; j < i; j++) {
      const p2 = refs[j];
      if (!p2 || !sameParent(p1, p2)) continue;
      const sameShape = !p1.sectionName === !p2.sectionName && !p1.port === !p2.port;
      if (!sameShape) {
        report.add(
          [...at, i],
          'rule',
          'sectionName or port must be specified when parentRefs includes 2 or more references to the same parent',
        );
      } else if ((p1.sectionName ?? '') === (p2.sectionName ?? '') && (p1.port ?? 0) === (p2.port ?? 0)) {
        report.add(
          [...at, i],
          'duplicate',
          `duplicate parentRef: same parent, sectionName and port as parentRefs[${j}]`,
        );
      } else continue;
      return;
    }
  });
};

export const parentRefs = list<ParentReference>(parentRef, { max: 32, rules: [parentRefsRule] });
