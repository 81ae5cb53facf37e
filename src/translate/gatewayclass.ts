/**
 * GatewayClass acceptance.
 *
 * Owns: which GatewayClasses are ours (spec.controllerName equals the controller name) and whether each is
 * Accepted (its parametersRef, if any, must resolve), plus the status we publish for them: Accepted,
 * SupportedVersion and supportedFeatures (GEP-2162).
 */
import type { GatewayClass } from '../api/types.ts';
import {
  gatewayClassAccepted,
  gatewayClassInvalidParameters,
  gatewayClassSupportedVersion,
} from '../status/conditions.ts';
import type { GatewayClassStatusValue } from '../status/types.ts';
import type { TranslateContext } from './context.ts';
import { parametersRefProblem } from './parameters.ts';

export interface ClassModel {
  readonly object: GatewayClass;
  readonly name: string;
  readonly accepted: boolean;
  readonly status: GatewayClassStatusValue;
}

/** Our GatewayClasses by name. */
export function acceptGatewayClasses(
  classes: readonly GatewayClass[],
  ctx: TranslateContext,
): ReadonlyMap<string, ClassModel> {
  const ours = classes.filter((c) => c.spec?.controllerName === ctx.opts.controllerName);
  return new Map(ours.map((c) => [c.metadata.name, acceptClass(c, ctx)]));
}

function acceptClass(gc: GatewayClass, ctx: TranslateContext): ClassModel {
  const ref = gc.spec.parametersRef;
  const problem = ref ? parametersRefProblem(ctx, ref, undefined) : undefined;
  const accepted = problem === undefined ? gatewayClassAccepted() : gatewayClassInvalidParameters(problem);
  const supportedFeatures = [...new Set(ctx.opts.supportedFeatures)].sort().map((name) => ({ name }));
  return {
    object: gc,
    name: gc.metadata.name,
    accepted: problem === undefined,
    status: { conditions: [accepted, gatewayClassSupportedVersion()], supportedFeatures },
  };
}
