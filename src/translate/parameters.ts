/**
 * parametersRef validation for GatewayClass (spec.parametersRef) and Gateway (spec.infrastructure.parametersRef).
 *
 * Owns: which parameter objects Archway understands. Today that is a core ConfigMap that exists; any other group,
 * kind, or a missing object makes the reference invalid (reason InvalidParameters, detail returned here).
 */
import { configMapExists, type TranslateContext } from './context.ts';

interface ParamsRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string | undefined;
}

/** Why the reference is invalid, or undefined when it is valid. `defaultNamespace` applies to local references. */
export function parametersRefProblem(
  ctx: TranslateContext,
  ref: ParamsRef,
  defaultNamespace: string | undefined,
): string | undefined {
  const what = `${ref.group || 'core'}/${ref.kind} "${ref.name}"`;
  if (ref.group !== '' || ref.kind !== 'ConfigMap') return `${what}: unsupported kind (only core ConfigMap)`;
  const namespace = ref.namespace || defaultNamespace;
  if (!namespace) return `${what}: a ConfigMap reference needs a namespace`;
  if (!configMapExists(ctx, `${namespace}/${ref.name}`)) return `${what} not found in namespace "${namespace}"`;
  return undefined;
}

/** spec.infrastructure.parametersRef of a Gateway, if the (untyped) infrastructure block carries one. */
export function infrastructureParametersRef(infrastructure: unknown): ParamsRef | undefined {
  if (!isRecord(infrastructure)) return undefined;
  const ref = infrastructure.parametersRef;
  if (!isRecord(ref)) return undefined;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { group: text(ref.group), kind: text(ref.kind), name: text(ref.name) };
}

function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
