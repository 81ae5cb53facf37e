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
}

export interface TranslateResult {
  readonly ir: IR;
  /** Status per object key (src/status/types.ts objectKey): only objects Archway is responsible for. */
  readonly statuses: ReadonlyMap<string, StatusValue>;
}
