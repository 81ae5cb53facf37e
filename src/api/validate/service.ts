/**
 * Service (v1), lightly: the type, the ports (what Archway routes to) and externalName. Other spec fields are kept
 * as given.
 *
 * Owns: port checks (number range, targetPort number or IANA service name, protocol, names required and unique
 * when there are several, no repeated port/protocol) and the API-server defaults Archway relies on (type ClusterIP,
 * port protocol TCP, targetPort = port).
 */
import type { ServicePort } from '../types.ts';
import { labelProblem, subdomainProblem } from './names.ts';
import { portNumber } from './refs.ts';
import { intOrString, list, obj, type Rec, type Rule, required, rule, str, withDefault } from './schema.ts';

const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

function ianaServiceNameProblem(s: string): string | undefined {
  if (s.length > 15 || !IANA_SVC_NAME.test(s) || s.includes('--') || !/[a-z]/.test(s)) {
    return "must be a port number or an IANA service name (at most 15 of a-z, 0-9 and '-', with a letter)";
  }
  return undefined;
}

const servicePort = obj({
  name: str({ test: labelProblem }),
  protocol: withDefault(str({ enum: ['TCP', 'UDP', 'SCTP'] }), 'TCP'),
  appProtocol: str(),
  port: required(portNumber),
  targetPort: intOrString(portNumber, str({ test: ianaServiceNameProblem })),
  nodePort: portNumber,
});

const portNames: Rule<readonly ServicePort[]> = (ports, at, report) => {
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    if (ports.length > 1 && !p.name)
      report.add([...at, i, 'name'], 'required', 'required when a Service has several ports');
    if (p.name && names.has(p.name))
      report.add([...at, i, 'name'], 'duplicate', `duplicate port name ${JSON.stringify(p.name)}`);
    if (p.name) names.add(p.name);
    const key = `${p.port}/${p.protocol}`;
    if (seen.has(key)) report.add([...at, i], 'duplicate', `duplicate port ${p.port}/${p.protocol}`);
    seen.add(key);
  });
};

interface ServiceSpecLike {
  readonly type?: string;
  readonly clusterIP?: string;
  readonly externalName?: string;
  readonly ports?: readonly ServicePort[];
}

export const serviceSpec = obj<ServiceSpecLike>(
  {
    type: withDefault(str({ enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] }), 'ClusterIP'),
    ports: list<ServicePort>(servicePort, { rules: [portNames] }),
    externalName: str({ test: subdomainProblem }),
  },
  [
    rule('required for type ExternalName', (s) => s.type !== 'ExternalName' || !!s.externalName, ['externalName']),
    rule(
      'a Service needs at least one port (unless its type is ExternalName or clusterIP is None)',
      (s) => s.type === 'ExternalName' || s.clusterIP === 'None' || (s.ports?.length ?? 0) > 0,
      ['ports'],
    ),
  ],
  true,
);

/** targetPort defaults to port. */
export function finishService(svc: Rec): Rec {
  const spec = svc.spec as ServiceSpecLike | undefined;
  if (!spec?.ports) return svc;
  const ports = spec.ports.map((p) => (p.targetPort === undefined ? { ...p, targetPort: p.port } : p));
  return { ...svc, spec: { ...spec, ports } };
}
