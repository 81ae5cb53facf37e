import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../types.ts';
import { formatPath, isValidatedKind, validateObject } from './index.ts';

const GW = 'gateway.networking.k8s.io/v1';

function check(object: Record<string, unknown>): { object: KubeObject; errors: string[]; codes: string[] } {
  const result = validateObject({
    metadata: { name: 'x', namespace: 'ns' },
    ...object,
  } as KubeObject);
  assert.ok(result, `${String(object.kind)} is validated`);
  return {
    object: result.object,
    errors: result.issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
    codes: result.issues.map((i) => i.code),
  };
}

describe('metadata', () => {
  it('accepts server-set fields and rejects unknown ones', () => {
    const meta = {
      name: 'x',
      namespace: 'ns',
      uid: 'u',
      resourceVersion: '1',
      generation: 3,
      creationTimestamp: '2024-01-01T00:00:00Z',
      managedFields: [{ manager: 'kubectl' }],
      ownerReferences: [],
      finalizers: ['f'],
      labels: { 'app.kubernetes.io/name': 'web', empty: '' },
      annotations: { 'Example.com/Note': 'anything at all' },
    };
    assert.deepEqual(check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta }).errors, []);
    assert.deepEqual(check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', colour: 'red' } }).errors, [
      'metadata.colour: unknown field',
    ]);
  });

  it('checks names by kind and label keys/values', () => {
    const long = `a${'b'.repeat(252)}`;
    assert.deepEqual(
      check({
        apiVersion: GW,
        kind: 'Gateway',
        metadata: { name: long },
        spec: { gatewayClassName: 'c', listeners: [{ name: 'h', port: 80, protocol: 'HTTP' }] },
      }).errors,
      [],
    );
    assert.match(
      check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${long}c` } }).errors[0] ?? '',
      /metadata\.name: must be at most 253/,
    );
    assert.match(
      check({ apiVersion: 'v1', kind: 'Service', metadata: { name: '1svc' }, spec: { ports: [{ port: 1 }] } })
        .errors[0] ?? '',
      /RFC 1035 label/,
    );
    assert.match(
      check({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }).errors[0] ?? '',
      /RFC 1123 label/,
    );
    assert.match(
      check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Upper' } }).errors[0] ?? '',
      /subdomain/,
    );
    assert.match(
      check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'Bad' } }).errors[0] ?? '',
      /metadata\.namespace/,
    );
    assert.match(
      check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { k: 'bad value!' } } }).errors[0] ??
        '',
      /metadata\.labels\.k/,
    );
    assert.match(
      check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { k: 1 } } }).errors[0] ?? '',
      /must be a string, not an integer/,
    );
  });
});

describe('GatewayClass and ReferenceGrant', () => {
  it('checks the controllerName form and description length', () => {
    const gc = (spec: unknown) => check({ apiVersion: GW, kind: 'GatewayClass', spec });
    assert.deepEqual(gc({ controllerName: 'example.com/gateway' }).errors, []);
    assert.match(gc({ controllerName: 'archway' }).errors[0] ?? '', /controllerName: must be a domain-prefixed path/);
    assert.match(
      gc({ controllerName: 'example.com/x', description: 'd'.repeat(65) }).errors[0] ?? '',
      /description: must be at most 64/,
    );
    assert.deepEqual(
      gc({
        controllerName: 'example.com/x',
        parametersRef: { group: '', kind: 'ConfigMap', name: 'p', namespace: 'ns' },
      }).errors,
      [],
    );
  });

  it('checks ReferenceGrant from/to in v1 and v1beta1', () => {
    const spec = {
      from: [{ group: GW.split('/')[0], kind: 'HTTPRoute', namespace: 'a' }],
      to: [{ group: '', kind: 'Service' }],
    };
    for (const v of ['v1', 'v1beta1']) {
      assert.deepEqual(
        check({ apiVersion: `gateway.networking.k8s.io/${v}`, kind: 'ReferenceGrant', spec }).errors,
        [],
      );
    }
    assert.deepEqual(
      check({ apiVersion: GW, kind: 'ReferenceGrant', spec: { from: [], to: [{ kind: 'Service' }] } }).errors,
      ['spec.from: must have at least one item', 'spec.to[0].group: required field is missing'],
    );
  });
});

describe('core kinds', () => {
  it('Service: defaults protocol, targetPort and type; checks ports', () => {
    const ok = check({
      apiVersion: 'v1',
      kind: 'Service',
      spec: {
        selector: { app: 'x' },
        ports: [
          { port: 8080, name: 'http' },
          { port: 9090, name: 'grpc', targetPort: 'grpc-port' },
        ],
      },
    });
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.object.spec, {
      type: 'ClusterIP',
      ports: [
        { name: 'http', protocol: 'TCP', port: 8080, targetPort: 8080 },
        { name: 'grpc', protocol: 'TCP', port: 9090, targetPort: 'grpc-port' },
      ],
      selector: { app: 'x' },
    });
    const bad = check({
      apiVersion: 'v1',
      kind: 'Service',
      spec: { ports: [{ port: 80 }, { port: 80, name: 'b', targetPort: 'Not_A_Name' }] },
    });
    assert.deepEqual(bad.errors.length, 1);
    assert.match(bad.errors[0] ?? '', /spec\.ports\[1\]\.targetPort: must be a port number or an IANA service name/);
    assert.deepEqual(
      check({ apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }, { port: 80, name: 'b' }] } }).errors,
      ['spec.ports[0].name: required when a Service has several ports', 'spec.ports[1]: duplicate port 80/TCP'],
    );
    assert.deepEqual(check({ apiVersion: 'v1', kind: 'Service', spec: { type: 'ExternalName' } }).errors, [
      'spec.externalName: required for type ExternalName',
    ]);
    assert.deepEqual(check({ apiVersion: 'v1', kind: 'Service', spec: { clusterIP: 'None' } }).errors, []);
  });

  it('EndpointSlice: addresses fit addressType; ports checked', () => {
    const slice = (addressType: string, addresses: string[]) =>
      check({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        addressType,
        endpoints: [{ addresses, conditions: { ready: true } }],
        ports: [{ name: 'http', port: 8080 }],
      });
    const ok = slice('IPv4', ['10.0.0.1']);
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.object.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
    assert.deepEqual(slice('IPv4', ['::1']).errors, [
      'endpoints[0].addresses[0]: must be an IPv4 address (addressType is IPv4)',
    ]);
    assert.deepEqual(slice('IPv6', ['::1']).errors, []);
    assert.deepEqual(slice('FQDN', ['backend.example']).errors, []);
    assert.deepEqual(slice('IPv4', []).errors, ['endpoints[0].addresses: must have at least one item']);
    assert.match(slice('IPX', ['1.2.3.4']).errors[0] ?? '', /addressType: unsupported value "IPX"/);
  });

  it('Secret: data is base64, stringData merges into data, tls Secrets carry tls.crt and tls.key', () => {
    const ok = check({ apiVersion: 'v1', kind: 'Secret', data: { a: 'aGVs\nbG8=' }, stringData: { b: 'hi' } });
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.object.data, { a: 'aGVsbG8=', b: 'aGk=' });
    assert.equal(ok.object.stringData, undefined);
    assert.equal(ok.object.type, 'Opaque');
    assert.deepEqual(check({ apiVersion: 'v1', kind: 'Secret', data: { a: 'not base64!' } }).errors, [
      'data.a: must be base64 encoded',
    ]);
    assert.match(
      check({ apiVersion: 'v1', kind: 'Secret', data: { 'bad/key': 'YQ==' } }).errors[0] ?? '',
      /key "bad\/key"/,
    );
    assert.deepEqual(
      check({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==' } }).errors,
      ['data: a kubernetes.io/tls Secret must have data["tls.key"]'],
    );
  });

  it('ConfigMap and Namespace', () => {
    assert.deepEqual(
      check({ apiVersion: 'v1', kind: 'ConfigMap', data: { 'ca.crt': 'x' }, binaryData: { 'ca.crt': 'YQ==' } }).errors,
      ['binaryData[ca.crt]: key "ca.crt" is also in data'],
    );
    assert.deepEqual(check({ apiVersion: 'v1', kind: 'ConfigMap', data: { n: 1 } }).errors, [
      'data.n: must be a string, not an integer',
    ]);
    assert.deepEqual(check({ apiVersion: 'v1', kind: 'ConfigMap', extra: 1 }).errors, ['extra: unknown field']);
    const ns = check({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { a: 'b' } } });
    assert.deepEqual(ns.errors, []);
    assert.deepEqual(ns.object.metadata, { name: 'team', labels: { a: 'b' } });
  });
});

describe('experimental kinds (structural checks)', () => {
  it('accepts any spec object in any version, and requires one', () => {
    const kinds: [string, string][] = [
      ['gateway.networking.k8s.io/v1', 'GRPCRoute'],
      ['gateway.networking.k8s.io/v1alpha2', 'GRPCRoute'],
      ['gateway.networking.k8s.io/v1alpha3', 'TLSRoute'],
      ['gateway.networking.k8s.io/v1alpha2', 'TCPRoute'],
      ['gateway.networking.k8s.io/v1alpha2', 'UDPRoute'],
      ['gateway.networking.k8s.io/v1alpha3', 'BackendTLSPolicy'],
      ['gateway.networking.k8s.io/v1', 'ListenerSet'],
      ['gateway.networking.x-k8s.io/v1alpha1', 'XListenerSet'],
    ];
    for (const [apiVersion, kind] of kinds) {
      const ok = check({ apiVersion, kind, metadata: { name: 'x' }, spec: { anything: [1] } });
      assert.deepEqual(ok.errors, [], kind);
      assert.equal(ok.object.metadata.namespace, 'default');
      assert.deepEqual(check({ apiVersion, kind }).errors, ['spec: required field is missing'], kind);
      assert.deepEqual(check({ apiVersion, kind, spec: [] }).errors, ['spec: must be an object, not a list'], kind);
      assert.match(check({ apiVersion, kind, metadata: { name: 'X' }, spec: {} }).errors[0] ?? '', /metadata\.name/);
    }
  });

  it('leaves other kinds to pass through', () => {
    assert.equal(isValidatedKind('apps/v1', 'Deployment'), false);
    assert.equal(isValidatedKind('example.com/v1', 'Gateway'), false);
    assert.equal(isValidatedKind('gateway.networking.k8s.io/v1', 'Gateway'), true);
    assert.equal(validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }), undefined);
  });
});
