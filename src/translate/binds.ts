/**
 * Binds: where a Gateway listener is served in the data plane, and whether it got there.
 *
 * Owns: the name of each data-plane listener (IR listener name "address:port", "[v6]:port"), which is also how the
 * runtime reports listeners the data plane failed to bind (TranslateOptions.unboundListeners), and, per Gateway
 * listener, which of its binds failed and which Gateway addresses serve at least one bound listener. A failed bind
 * changes status only, never the IR: the listener stays in the IR so that the data plane keeps trying to bind it.
 */
import type { GatewayModel, ListenerModel } from './model.ts';

/** The IR listener name of `address`:`port` (IPv6 addresses in brackets). */
export function bindNameOf(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Why a programmed listener is not online yet ("address:port: error" per failed bind), or undefined when it is. */
export function bindFailure(
  gw: GatewayModel,
  l: ListenerModel,
  unbound: ReadonlyMap<string, string> | undefined,
): string | undefined {
  if (unbound === undefined || unbound.size === 0) return undefined;
  const failed: string[] = [];
  for (const address of gw.addresses) {
    const name = bindNameOf(address, l.port);
    const error = unbound.get(name);
    if (error !== undefined) failed.push(`${name}: ${error}`);
  }
  return failed.length === 0 ? undefined : failed.join('; ');
}

/** The Gateway's addresses on which at least one of `online` (its programmed, bound listeners) is bound. */
export function boundAddresses(
  gw: GatewayModel,
  online: readonly ListenerModel[],
  unbound: ReadonlyMap<string, string> | undefined,
): readonly string[] {
  if (online.length === 0) return [];
  if (unbound === undefined || unbound.size === 0) return gw.addresses;
  return gw.addresses.filter((a) => online.some((l) => !unbound.has(bindNameOf(a, l.port))));
}
