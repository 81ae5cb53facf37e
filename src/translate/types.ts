/**
 * The translator's inputs and outputs.
 *
 * Owns: TranslateOptions and TranslateResult. `translate(snapshot, options)` in src/translate/translate.ts is pure:
 * no I/O, no clock, no randomness, no mutation of its input.
 */
import type { IR } from '../ir/types.ts';
import type { StatusValue } from '../status/types.ts';

export interface TranslateOptions {
  /** GatewayClasses whose spec.controllerName equals this are ours. */
  readonly controllerName: string;
  /**
   * Addresses the runtime assigned from --address-pool, by Gateway "namespace/name". A Gateway of ours without
   * spec.addresses binds its listeners on this address; with no entry it binds 0.0.0.0.
   */
  readonly gatewayAddresses: ReadonlyMap<string, string>;
  /** Feature names (GEP-2162) published in GatewayClass status.supportedFeatures, sorted. */
  readonly supportedFeatures: readonly string[];
  /**
   * spec.addresses values (IPAddress, as written) that this host cannot bind: the runtime found no local interface
   * with them. A Gateway requesting one is Programmed=False AddressNotUsable and none of its listeners is in the IR.
   * Absent: every requested address is usable.
   */
  readonly unusableAddresses?: ReadonlySet<string>;
  /**
   * IR listeners (by name, "address:port") that the data plane failed to bind in the last apply, with the error. Only
   * status changes (the Gateway listeners bound there are Programmed=False Pending); the IR is the same with or
   * without it, so that the data plane keeps trying to bind them.
   */
  readonly unboundListeners?: ReadonlyMap<string, string>;
}

export interface TranslateResult {
  readonly ir: IR;
  /** Status per object key (src/status/types.ts objectKey): only objects Archway is responsible for. */
  readonly statuses: ReadonlyMap<string, StatusValue>;
}
