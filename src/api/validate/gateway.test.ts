import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Gateway } from '../types.ts';
import { formatPath, validateObject } from './index.ts';

function check(spec: unknown, apiVersion = 'gateway.networking.k8s.io/v1'): { gateway: Gateway; errors: string[] } {
  const result = validateObject({ apiVersion, kind: 'Gateway', metadata: { name: 'g', namespace: 'ns' }, spec });
  assert.ok(result);
  return {
    gateway: result.object as Gateway,
    errors: result.issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
  };
}

const http = { name: 'http', port: 80, protocol: 'HTTP' };
const cert = { name: 'cert' };
const https = { name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [cert] } };
const gw = (...listeners: unknown[]) => check({ gatewayClassName: 'c', listeners });

describe('Gateway', () => {
  it('applies listener defaults: allowedRoutes, kinds group, tls mode, certificateRef group/kind', () => {
    const { gateway, errors } = gw(http, https, {
      name: 'k',
      port: 81,
      protocol: 'HTTP',
      allowedRoutes: { kinds: [{ kind: 'HTTPRoute' }] },
    });
    assert.deepEqual(errors, []);
    const [l0, l1, l2] = gateway.spec.listeners;
    assert.deepEqual(l0?.allowedRoutes, { namespaces: { from: 'Same' } });
    assert.deepEqual(l1?.tls, { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'cert' }] });
    assert.deepEqual(l2?.allowedRoutes, {
      namespaces: { from: 'Same' },
      kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
    });
    assert.equal(
      check({ gatewayClassName: 'c', listeners: [http] }, 'gateway.networking.k8s.io/v1beta1').errors.length,
      0,
    );
  });

  it('rejects an unserved apiVersion', () => {
    assert.deepEqual(check({ gatewayClassName: 'c', listeners: [http] }, 'gateway.networking.k8s.io/v1alpha2').errors, [
      'apiVersion: Gateway is not served as gateway.networking.k8s.io/v1alpha2; use gateway.networking.k8s.io/v1 or gateway.networking.k8s.io/v1beta1',
    ]);
  });

  it('requires gatewayClassName and 1 to 64 listeners', () => {
    assert.deepEqual(check({ listeners: [http] }).errors, ['spec.gatewayClassName: required field is missing']);
    assert.deepEqual(check({ gatewayClassName: 'c', listeners: [] }).errors, [
      'spec.listeners: must have at least one item',
    ]);
    const many = Array.from({ length: 65 }, (_, i) => ({ ...http, name: `l${i}`, port: 1000 + i }));
    assert.deepEqual(check({ gatewayClassName: 'c', listeners: many }).errors, [
      'spec.listeners: must have at most 64 items (has 65)',
    ]);
  });

  it('reports duplicate listener names and duplicate port/protocol/hostname', () => {
    assert.deepEqual(gw(http, https, { ...http, port: 8080 }).errors, [
      'spec.listeners[2].name: duplicate listener name "http"',
    ]);
    assert.deepEqual(gw(http, { ...http, name: 'other' }).errors, [
      'spec.listeners[1]: port, protocol and hostname are the same as listeners[0]',
    ]);
    assert.deepEqual(
      gw({ ...http, hostname: 'a.example' }, { ...http, name: 'b', hostname: 'b.example' }, { ...http, name: 'c' })
        .errors,
      [],
    );
  });

  it('applies the protocol/tls/hostname rules', () => {
    assert.deepEqual(gw({ ...http, tls: { certificateRefs: [cert] } }).errors, [
      'spec.listeners[0].tls: tls must not be specified for protocols HTTP, TCP and UDP',
    ]);
    assert.deepEqual(gw({ ...https, tls: { mode: 'Passthrough' } }).errors, [
      'spec.listeners[0].tls: tls mode must be Terminate for protocol HTTPS',
    ]);
    assert.deepEqual(gw({ name: 'tls', port: 443, protocol: 'TLS' }).errors, [
      'spec.listeners[0].tls: tls (with a mode) must be set for protocol TLS',
    ]);
    assert.deepEqual(gw({ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } }).errors, []);
    assert.deepEqual(gw({ name: 'tcp', port: 9000, protocol: 'TCP', hostname: 'a.example' }).errors, [
      'spec.listeners[0].hostname: hostname must not be specified for protocols TCP and UDP',
    ]);
    assert.deepEqual(gw({ ...https, tls: { mode: 'Terminate' } }).errors, [
      'spec.listeners[0].tls: certificateRefs or options must be specified when mode is Terminate',
    ]);
    assert.deepEqual(gw({ ...https, tls: { options: { 'example.com/x': 'y' } } }).errors, []);
  });

  it('checks listener fields: port range, protocol form, hostname, allowedRoutes.from', () => {
    assert.match(
      gw({ ...http, port: 70000 }).errors[0] ?? '',
      /spec\.listeners\[0\]\.port: 70000 must be between 1 and 65535/,
    );
    assert.match(gw({ ...http, protocol: 'not a protocol' }).errors[0] ?? '', /protocol: must be HTTP, HTTPS/);
    assert.deepEqual(gw({ ...http, protocol: 'example.com/Custom' }).errors, []);
    assert.deepEqual(gw({ ...http, hostname: '*.example.com' }).errors, []);
    assert.match(gw({ ...http, hostname: '*' }).errors[0] ?? '', /hostname: a wildcard/);
    assert.match(gw({ ...http, hostname: 'example.com:80' }).errors[0] ?? '', /hostname: must not contain a port/);
    assert.match(
      gw({ ...http, allowedRoutes: { namespaces: { from: 'None' } } }).errors[0] ?? '',
      /unsupported value "None"/,
    );
    assert.match(gw({ ...http, name: 'Bad_Name' }).errors[0] ?? '', /name: must be a lowercase RFC 1123 subdomain/);
  });

  it('checks addresses: IP form for IPAddress, hostname form, unique values', () => {
    const addrs = (...addresses: unknown[]) => check({ gatewayClassName: 'c', listeners: [http], addresses });
    const ok = addrs(
      { value: '10.0.0.1' },
      { value: '::1' },
      { type: 'Hostname', value: 'lb.example' },
      { type: 'example.com/custom', value: 'x' },
    );
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.gateway.spec.addresses?.[0]?.type, 'IPAddress');
    assert.deepEqual(addrs({ value: 'not-an-ip' }).errors, [
      'spec.addresses[0].value: must be an IPv4 or IPv6 address for type IPAddress',
    ]);
    assert.deepEqual(addrs({ type: 'Hostname', value: 'Bad Host' }).errors, [
      'spec.addresses[0].value: must be a valid hostname for type Hostname',
    ]);
    assert.deepEqual(addrs({ value: '10.0.0.1' }, { value: '10.0.0.1' }).errors, [
      'spec.addresses[1].value: duplicate IPAddress value "10.0.0.1"',
    ]);
    assert.match(addrs({ type: 'bogus' }).errors[0] ?? '', /addresses\[0\]\.type: must be IPAddress, Hostname/);
  });

  it('checks infrastructure labels/annotations and frontend TLS validation', () => {
    const infra = check({ gatewayClassName: 'c', listeners: [http], infrastructure: { labels: { 'bad key!': 'v' } } });
    assert.match(infra.errors[0] ?? '', /infrastructure\.labels\[bad key!\]: key "bad key!"/);
    const tls = check({
      gatewayClassName: 'c',
      listeners: [http],
      tls: {
        frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] } } },
      },
    });
    assert.deepEqual(tls.errors, []);
    assert.deepEqual(
      (tls.gateway.spec.tls as { frontend: { default: { validation: { mode: string } } } }).frontend.default.validation
        .mode,
      'AllowValidOnly',
    );
    const dup = check({
      gatewayClassName: 'c',
      listeners: [http],
      tls: {
        frontend: {
          default: {},
          perPort: [
            { port: 443, tls: {} },
            { port: 443, tls: {} },
          ],
        },
      },
    });
    assert.deepEqual(dup.errors, ['spec.tls.frontend.perPort[1].port: duplicate TLS configuration port 443']);
  });
});
