/**
 * Which static IP addresses this host can bind.
 *
 * Owns: the test "is this address local": loopback (127.0.0.0/8 and ::1) and the unspecified addresses (0.0.0.0 and
 * ::, which bind every interface) always are; any other address is when one of the host's network interfaces has it
 * (os.networkInterfaces(), read only when such an address is asked about). Addresses are compared as addresses, not
 * as text (net.BlockList: "::1" and "0:0:0:0:0:0:0:1" are one address); an IPv6 zone ("fe80::1%eth0") is ignored.
 */
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** What os.networkInterfaces() returns; tests pass their own. */
export type InterfaceList = () => NodeJS.Dict<readonly { readonly address: string; readonly family: string }[]>;

const ALWAYS_LOCAL = new BlockList();
ALWAYS_LOCAL.addSubnet('127.0.0.0', 8, 'ipv4');
ALWAYS_LOCAL.addAddress('0.0.0.0', 'ipv4');
ALWAYS_LOCAL.addAddress('::1', 'ipv6');
ALWAYS_LOCAL.addAddress('::', 'ipv6');

/** The values among `addresses` that are IP addresses this host cannot bind (values that are not IPs are skipped). */
export function unusableAddresses(
  addresses: Iterable<string>,
  interfaces: InterfaceList = networkInterfaces,
): ReadonlySet<string> {
  const out = new Set<string>();
  let local: BlockList | undefined;
  for (const value of addresses) {
    const ip = withoutZone(value);
    const version = isIP(ip);
    if (version === 0) continue; // not an IP address: the translator reports that itself
    const family = version === 4 ? 'ipv4' : 'ipv6';
    if (ALWAYS_LOCAL.check(ip, family)) continue;
    local ??= interfaceAddresses(interfaces());
    if (!local.check(ip, family)) out.add(value);
  }
  return out;
}

function interfaceAddresses(list: ReturnType<InterfaceList>): BlockList {
  const local = new BlockList();
  for (const entries of Object.values(list)) {
    for (const e of entries ?? []) {
      const ip = withoutZone(e.address);
      const version = isIP(ip);
      if (version !== 0) local.addAddress(ip, version === 4 ? 'ipv4' : 'ipv6');
    }
  }
  return local;
}

function withoutZone(address: string): string {
  const percent = address.indexOf('%');
  return percent < 0 ? address : address.slice(0, percent);
}
