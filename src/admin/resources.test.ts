import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseResourcePath } from './resources.ts';

test('Kubernetes REST paths resolve to resources', () => {
  const get = parseResourcePath('/apis/gateway.networking.k8s.io/v1/namespaces/infra/httproutes/r1');
  assert.equal(get?.resource.kind, 'HTTPRoute');
  assert.equal(get?.namespace, 'infra');
  assert.equal(get?.name, 'r1');
  assert.equal(get?.apiVersion, 'gateway.networking.k8s.io/v1');
  const list = parseResourcePath('/apis/gateway.networking.k8s.io/v1beta1/gatewayclasses');
  assert.equal(list?.resource.kind, 'GatewayClass');
  assert.equal(list?.name, undefined);
  assert.equal(parseResourcePath('/api/v1/namespaces/infra')?.resource.kind, 'Namespace');
  assert.equal(parseResourcePath('/api/v1/namespaces/infra')?.name, 'infra');
  assert.equal(parseResourcePath('/api/v1/namespaces/infra/services/svc')?.resource.kind, 'Service');
  assert.equal(parseResourcePath('/apis/discovery.k8s.io/v1/namespaces/a/endpointslices')?.namespace, 'a');
});

test('unknown paths are not resources', () => {
  assert.equal(parseResourcePath('/apis/gateway.networking.k8s.io/v1/widgets'), undefined);
  assert.equal(parseResourcePath('/apis'), undefined);
  assert.equal(parseResourcePath('/foo/bar'), undefined);
  assert.equal(parseResourcePath('/api/v1/namespaces/a/services/b/c'), undefined);
});
