/**
 * Gateways of our GatewayClasses: acceptance, addresses and listeners.
 *
 * Owns: which Gateways are ours (their GatewayClass is ours), the Gateway-wide problems (class not accepted,
 * invalid infrastructure.parametersRef, unsupported, unusable or unassigned addresses), the addresses listeners bind
 * (spec.addresses, else the runtime's assignment from TranslateOptions.gatewayAddresses, else 0.0.0.0), and the
 * listener models with their conflicts. Whether a static address is usable on this host is the runtime's finding
 * (TranslateOptions.unusableAddresses); a Gateway is programmed on all of its addresses or on none.
 */
import { isIP } from 'node:net';
import type { Gateway } from '../api/types.ts';
import {
  gatewayAddressNotAssigned,
  gatewayAddressNotUsable,
  gatewayClassNotAccepted,
  gatewayInvalidParameters,
  gatewayUnsupportedAddress,
} from '../status/conditions.ts';
import type { ConditionValue } from '../status/types.ts';
import { withGatewayConflicts, withSharedAddressConflicts } from './conflicts.ts';
import { createdMs, keyOf, namespaceOf, type TranslateContext } from './context.ts';
import type { ClassModel } from './gatewayclass.ts';
import { buildListener } from './listeners.ts';
import type { GatewayModel } from './model.ts';
import { infrastructureParametersRef, parametersRefProblem } from './parameters.ts';

const ANY_ADDRESS = '0.0.0.0';

export function buildGateways(
  gateways: readonly Gateway[],
  classes: ReadonlyMap<string, ClassModel>,
  ctx: TranslateContext,
): readonly GatewayModel[] {
  const ours = gateways.flatMap((gw) => {
    const cls = classes.get(gw.spec?.gatewayClassName);
    return cls ? [buildGateway(gw, cls, ctx)] : [];
  });
  return withSharedAddressConflicts(ours);
}

function buildGateway(gateway: Gateway, cls: ClassModel, ctx: TranslateContext): GatewayModel {
  const namespace = namespaceOf(gateway.metadata);
  const key = keyOf(namespace, gateway.metadata.name);
  const addr = resolveAddresses(gateway, key, ctx);
  const acceptProblem = cls.accepted
    ? (addr.acceptProblem ?? paramsProblem(gateway, ctx))
    : gatewayClassNotAccepted(cls.name);
  const listeners = withGatewayConflicts((gateway.spec.listeners ?? []).map((l) => buildListener(gateway, l, ctx)));
  return {
    gateway,
    key,
    namespace,
    createdMs: createdMs(gateway.metadata),
    addresses: addr.addresses,
    ...(acceptProblem && { acceptProblem }),
    ...(addr.programProblem && { programProblem: addr.programProblem }),
    listeners,
  };
}

function paramsProblem(gateway: Gateway, ctx: TranslateContext): ConditionValue | undefined {
  const ref = infrastructureParametersRef(gateway.spec.infrastructure);
  if (!ref) return undefined;
  const problem = parametersRefProblem(ctx, ref, namespaceOf(gateway.metadata));
  return problem === undefined ? undefined : gatewayInvalidParameters(problem);
}

interface AddressResult {
  readonly addresses: readonly string[];
  readonly acceptProblem?: ConditionValue;
  readonly programProblem?: ConditionValue;
}

function resolveAddresses(gateway: Gateway, key: string, ctx: TranslateContext): AddressResult {
  const assigned = ctx.opts.gatewayAddresses.get(key);
  const requested = gateway.spec.addresses ?? [];
  if (requested.length === 0) return { addresses: [assigned ?? ANY_ADDRESS] };
  const unsupported = requested.find((a) => (a.type ?? 'IPAddress') !== 'IPAddress');
  if (unsupported) {
    return {
      addresses: [],
      acceptProblem: gatewayUnsupportedAddress(`Address type "${unsupported.type}" is not supported; use IPAddress`),
    };
  }
  const unusable = requested.find((a) => a.value !== undefined && a.value !== '' && isIP(a.value) === 0);
  if (unusable) {
    return { addresses: [], programProblem: gatewayAddressNotUsable(`"${unusable.value}" is not an IP address`) };
  }
  const notLocal = requested.flatMap((a) => (a.value && ctx.opts.unusableAddresses?.has(a.value) ? [a.value] : []));
  if (notLocal.length > 0) return { addresses: [], programProblem: notUsableHere(notLocal) };
  const needsAssigned = requested.some((a) => !a.value);
  if (needsAssigned && assigned === undefined) {
    return {
      addresses: [],
      programProblem: gatewayAddressNotAssigned('No address is available to assign to this Gateway'),
    };
  }
  const values = requested.map((a) => a.value || (assigned as string));
  return { addresses: [...new Set(values)] };
}

function notUsableHere(values: readonly string[]): ConditionValue {
  const list = values.map((v) => `"${v}"`).join(', ');
  const what = values.length === 1 ? `Address ${list} is` : `Addresses ${list} are`;
  return gatewayAddressNotUsable(
    `${what} not assigned to any network interface of this host; use a local address or remove ${values.length === 1 ? 'it' : 'them'} from spec.addresses`,
  );
}
