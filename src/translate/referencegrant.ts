/**
 * ReferenceGrant (GEP-709): whether a cross-namespace reference is allowed.
 *
 * Owns: the one check every cross-namespace reference goes through (HTTPRoute -> Service, Gateway -> Secret). A
 * grant lives in the namespace of the referent; it allows references from objects of its `from` group/kind in the
 * `from` namespace to objects of its `to` group/kind (all of them, or only the one named).
 */
import type { ReferenceGrant } from '../api/types.ts';
import { namespaceOf } from './context.ts';

export interface RefFrom {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
}

export interface RefTo {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export function referenceAllowed(grants: readonly ReferenceGrant[], from: RefFrom, to: RefTo): boolean {
  if (from.namespace === to.namespace) return true;
  return grants.some((grant) => namespaceOf(grant.metadata) === to.namespace && grantMatches(grant, from, to));
}

function grantMatches(grant: ReferenceGrant, from: RefFrom, to: RefTo): boolean {
  const fromOk = (grant.spec?.from ?? []).some(
    (f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace,
  );
  const toOk = (grant.spec?.to ?? []).some(
    (t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === '' || t.name === to.name),
  );
  return fromOk && toOk;
}
