/**
 * Gateway (gateway.networking.k8s.io v1, v1beta1): the spec as its CRD declares it.
 *
 * Owns: addresses (type default IPAddress; IP and hostname forms; unique values), infrastructure, allowedListeners,
 * spec.tls (frontend client validation, backend client certificate) and the listener list (see listeners.ts).
 */
import { isIP } from 'node:net';
import type { GatewaySpecAddress } from '../types.ts';
import { listeners, namespacesFrom } from './listeners.ts';
import { labelValueProblem, objectName, qualifiedNameProblem } from './names.ts';
import { localObjectRef, namespacedObjectRef, portNumber, secretObjectRef } from './refs.ts';
import { list, map, obj, type Rule, required, rule, str, withDefault } from './schema.ts';

const ADDRESS_TYPE =
  /^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;
const ADDRESS_HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const address = obj<GatewaySpecAddress>(
  {
    type: withDefault(
      str({
        min: 1,
        max: 253,
        pattern: ADDRESS_TYPE,
        message: 'must be IPAddress, Hostname, NamedAddress or a domain-prefixed name',
      }),
      'IPAddress',
    ),
    value: str({ max: 253 }),
  },
  [
    rule(
      'must be an IPv4 or IPv6 address for type IPAddress',
      (a) => a.type !== 'IPAddress' || a.value === undefined || isIP(a.value) !== 0,
      ['value'],
    ),
    rule(
      'must be a valid hostname for type Hostname',
      (a) => a.type !== 'Hostname' || a.value === undefined || ADDRESS_HOSTNAME.test(a.value),
      ['value'],
    ),
  ],
);

const uniqueValues: Rule<readonly GatewaySpecAddress[]> = (as, at, report) => {
  const seen = new Set<string>();
  as.forEach((a, i) => {
    if ((a.type !== 'IPAddress' && a.type !== 'Hostname') || a.value === undefined) return;
    const key = `${a.type}/${a.value}`;
    if (seen.has(key))
      report.add([...at, i, 'value'], 'duplicate', `duplicate ${a.type} value ${JSON.stringify(a.value)}`);
    seen.add(key);
  });
};

const infrastructure = obj({
  labels: map({ max: 8, key: qualifiedNameProblem, value: str({ max: 63, test: labelValueProblem }) }),
  annotations: map({ max: 16, key: qualifiedNameProblem, value: str({ max: 4096 }) }),
  parametersRef: localObjectRef,
});

const frontendValidation = obj({
  validation: obj({
    caCertificateRefs: required(list(namespacedObjectRef, { min: 1, max: 16 })),
    mode: withDefault(str({ enum: ['AllowValidOnly', 'AllowInsecureFallback'] }), 'AllowValidOnly'),
  }),
});

const gatewayTLS = obj({
  backend: obj({ clientCertificateRef: secretObjectRef }),
  frontend: obj({
    default: required(frontendValidation),
    perPort: list(obj({ port: required(portNumber), tls: required(frontendValidation) }), {
      max: 64,
      uniqueBy: { key: 'port', label: 'TLS configuration port' },
    }),
  }),
});

export const gatewaySpec = obj({
  gatewayClassName: required(objectName),
  listeners: required(listeners),
  addresses: list<GatewaySpecAddress>(address, { max: 16, rules: [uniqueValues] }),
  infrastructure,
  allowedListeners: obj({ namespaces: namespacesFrom(['All', 'Selector', 'Same', 'None'], 'None') }),
  defaultScope: str({ enum: ['All', 'None'] }),
  tls: gatewayTLS,
});
