/**
 * EndpointSlice (discovery.k8s.io v1), lightly: the address type, endpoint addresses that fit it, endpoint
 * conditions, and ports. Other endpoint fields (hostname, nodeName, zone, hints, targetRef) are kept as given.
 *
 * Owns: those checks and the port protocol default TCP.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Path, Report } from './issues.ts';
import { labelProblem, subdomainProblem } from './names.ts';
import { bool, type Fields, int, list, obj, type Rec, required, str, withDefault } from './schema.ts';

const endpoint = obj(
  {
    addresses: required(list(str(), { min: 1, max: 100 })),
    conditions: obj({ ready: bool, serving: bool, terminating: bool }),
  },
  [],
  true,
);

const endpointPort = obj({
  name: str({ test: (s) => (s === '' ? undefined : labelProblem(s)) }),
  protocol: withDefault(str({ enum: ['TCP', 'UDP', 'SCTP'] }), 'TCP'),
  port: int({ min: 0, max: 65535 }),
  appProtocol: str(),
});

export const endpointSliceFields: Fields = {
  addressType: required(str({ enum: ['IPv4', 'IPv6', 'FQDN'] })),
  endpoints: list(endpoint, { max: 1000 }),
  ports: list(endpointPort, { max: 100, uniqueBy: { key: 'name', label: 'port name' } }),
};

const ADDRESS_CHECK: Readonly<Record<string, (a: string) => string | undefined>> = {
  IPv4: (a) => (isIPv4(a) ? undefined : 'must be an IPv4 address (addressType is IPv4)'),
  IPv6: (a) => (isIPv6(a) ? undefined : 'must be an IPv6 address (addressType is IPv6)'),
  FQDN: (a) => subdomainProblem(a),
};

/** Checks each endpoint address against the slice's addressType. */
export function finishEndpointSlice(slice: Rec, at: Path, report: Report): Rec {
  const check = ADDRESS_CHECK[String(slice.addressType)];
  const endpoints = (slice.endpoints ?? []) as readonly { readonly addresses: readonly string[] }[];
  endpoints.forEach((e, i) => {
    e.addresses.forEach((a, j) => {
      const problem = check?.(a);
      if (problem) report.add([...at, 'endpoints', i, 'addresses', j], 'value', problem);
    });
  });
  return slice;
}
