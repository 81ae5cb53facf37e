/**
 * What the runtime tells the translator about Gateway addresses: facts about this host and its state, which the pure
 * translator cannot find out for itself.
 *
 * Owns: which of our Gateways take an address from --address-pool (those without spec.addresses, and those with an
 * IPAddress entry without a value: the spec asks that one be assigned), and which requested static IPAddress values
 * this host cannot bind (local-addresses.ts). The translator turns both into addresses and conditions.
 */
import type { Gateway, GatewayClass } from '../api/types.ts';
import type { Snapshot } from '../store/snapshot.ts';
import type { AddressPool } from './addresses.ts';
import { type InterfaceList, unusableAddresses } from './local-addresses.ts';

export interface AddressFindings {
  /** Pool addresses by Gateway "namespace/name" (TranslateOptions.gatewayAddresses). */
  readonly gatewayAddresses: ReadonlyMap<string, string>;
  /** Requested static addresses that are not local (TranslateOptions.unusableAddresses). */
  readonly unusableAddresses: ReadonlySet<string>;
}

export function findAddresses(
  snap: Snapshot,
  controllerName: string,
  pool: AddressPool | undefined,
  interfaces?: InterfaceList,
): AddressFindings {
  const classes = new Set(
    snap.gatewayClasses
      .filter((c: GatewayClass) => c.spec.controllerName === controllerName)
      .map((c) => c.metadata.name),
  );
  const ours = snap.gateways.filter((g: Gateway) => classes.has(g.spec.gatewayClassName));
  const wanting = ours.filter(wantsPoolAddress).map((g) => `${g.metadata.namespace || 'default'}/${g.metadata.name}`);
  const requested = ours.flatMap((g) =>
    (g.spec.addresses ?? []).flatMap((a) => ((a.type ?? 'IPAddress') === 'IPAddress' && a.value ? [a.value] : [])),
  );
  return {
    gatewayAddresses: pool ? pool.assign(wanting) : new Map(),
    unusableAddresses: unusableAddresses(new Set(requested), interfaces),
  };
}

function wantsPoolAddress(g: Gateway): boolean {
  const addresses = g.spec.addresses ?? [];
  return addresses.length === 0 || addresses.some((a) => (a.type ?? 'IPAddress') === 'IPAddress' && !a.value);
}
