/**
 * Listeners, shared by Gateway and ListenerSet: the Listener fields, AllowedRoutes, GatewayTLSConfig, and the rules
 * the CRD states across a listener list.
 *
 * Owns: listener defaults (allowedRoutes.namespaces.from Same, kinds group gateway.networking.k8s.io, tls.mode
 * Terminate, certificateRefs group "" / kind Secret) and rules (unique names; unique port+protocol+hostname; tls
 * only where the protocol takes it; no hostname for TCP/UDP).
 */
import { GATEWAY_GROUP, type Listener } from '../types.ts';
import { hostname } from './hostnames.ts';
import { group, kind, sectionName } from './names.ts';
import { portNumber, secretObjectRef } from './refs.ts';
import { list, map, obj, type Rule, required, rule, str, withDefault } from './schema.ts';

const PROTOCOL =
  /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$/;

export const labelSelector = obj({
  matchLabels: map(),
  matchExpressions: list(obj({ key: required(str()), operator: required(str()), values: list(str()) })),
});

/** The namespaces part of AllowedRoutes / AllowedListeners, with its `from` values and default. */
export function namespacesFrom(values: readonly string[], fallback: string) {
  return withDefault(obj({ from: withDefault(str({ enum: values }), fallback), selector: labelSelector }), {
    from: fallback,
  });
}

const allowedRoutes = obj({
  namespaces: namespacesFrom(['All', 'Selector', 'Same'], 'Same'),
  kinds: list(obj({ group: withDefault(group, GATEWAY_GROUP), kind: required(kind) }), { max: 8 }),
});

interface TLSConfigLike {
  readonly mode?: string;
  readonly certificateRefs?: readonly unknown[];
  readonly options?: Readonly<Record<string, unknown>>;
}

/** GatewayTLSConfig options: at most 16, values up to 4096 characters. */
export const tlsOptions = map({ max: 16, value: str({ max: 4096 }) });

const tlsConfig = obj<TLSConfigLike>(
  {
    mode: withDefault(str({ enum: ['Terminate', 'Passthrough'] }), 'Terminate'),
    certificateRefs: list(secretObjectRef, { max: 64 }),
    options: tlsOptions,
  },
  [
    rule(
      'certificateRefs or options must be specified when mode is Terminate',
      (t) => t.mode !== 'Terminate' || (t.certificateRefs?.length ?? 0) > 0 || Object.keys(t.options ?? {}).length > 0,
    ),
  ],
);

export const listener = obj({
  name: required(sectionName),
  hostname,
  port: required(portNumber),
  protocol: required(
    str({
      min: 1,
      max: 255,
      pattern: PROTOCOL,
      message: 'must be HTTP, HTTPS, TLS, TCP, UDP or a domain-prefixed name',
    }),
  ),
  tls: tlsConfig,
  allowedRoutes: withDefault(allowedRoutes, { namespaces: { from: 'Same' } }),
});

const eachListener =
  (message: string, ok: (l: Listener) => boolean, field: string): Rule<readonly Listener[]> =>
  (ls, at, report) =>
    ls.forEach((l, i) => {
      if (!ok(l)) report.add([...at, i, field], 'rule', message);
    });

const uniqueNames: Rule<readonly Listener[]> = (ls, at, report) => {
  const seen = new Set<string>();
  ls.forEach((l, i) => {
    if (seen.has(l.name))
      report.add([...at, i, 'name'], 'duplicate', `duplicate listener name ${JSON.stringify(l.name)}`);
    seen.add(l.name);
  });
};

const uniqueAddresses: Rule<readonly Listener[]> = (ls, at, report) => {
  const seen = new Map<string, number>();
  ls.forEach((l, i) => {
    const key = `${l.port}/${l.protocol}/${l.hostname ?? ''}/${l.hostname === undefined}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else report.add([...at, i], 'duplicate', `port, protocol and hostname are the same as listeners[${first}]`);
  });
};

export const listenerRules: readonly Rule<readonly Listener[]>[] = [
  eachListener(
    'tls must not be specified for protocols HTTP, TCP and UDP',
    (l) => !['HTTP', 'TCP', 'UDP'].includes(l.protocol) || !l.tls,
    'tls',
  ),
  eachListener(
    'tls mode must be Terminate for protocol HTTPS',
    (l) => l.protocol !== 'HTTPS' || !l.tls || l.tls.mode === 'Terminate',
    'tls',
  ),
  eachListener('tls (with a mode) must be set for protocol TLS', (l) => l.protocol !== 'TLS' || !!l.tls?.mode, 'tls'),
  eachListener(
    'hostname must not be specified for protocols TCP and UDP',
    (l) => !['TCP', 'UDP'].includes(l.protocol) || !l.hostname,
    'hostname',
  ),
  uniqueNames,
  uniqueAddresses,
];

export const listeners = list<Listener>(listener, { min: 1, max: 64, rules: listenerRules });
