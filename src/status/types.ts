/**
 * Status as values: what the translator computes, before time and generation are stamped on it.
 *
 * Owns: ConditionValue and the per-kind status shapes. Only src/status/merge.ts adds observedGeneration and
 * lastTransitionTime (time comes in at the edge).
 */

export interface ConditionValue {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

export interface ParentRefValue {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
}

export interface RouteParentStatusValue {
  readonly parentRef: ParentRefValue;
  readonly controllerName: string;
  readonly conditions: readonly ConditionValue[];
}

export interface ListenerStatusValue {
  readonly name: string;
  readonly supportedKinds: readonly { readonly group: string; readonly kind: string }[];
  readonly attachedRoutes: number;
  readonly conditions: readonly ConditionValue[];
}

export interface GatewayClassStatusValue {
  readonly conditions: readonly ConditionValue[];
  readonly supportedFeatures?: readonly { readonly name: string }[];
}

export interface GatewayStatusValue {
  readonly addresses: readonly { readonly type: string; readonly value: string }[];
  readonly conditions: readonly ConditionValue[];
  readonly listeners: readonly ListenerStatusValue[];
}

export interface RouteStatusValue {
  readonly parents: readonly RouteParentStatusValue[];
}

export type StatusValue = GatewayClassStatusValue | GatewayStatusValue | RouteStatusValue;

/** Key of an object in status maps: "Kind/namespace/name" ("Kind/name" when cluster-scoped). */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}
