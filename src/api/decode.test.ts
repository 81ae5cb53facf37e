import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFile, formatConfigError } from './decode.ts';

const route = (name: string, extra = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
spec:
  parentRefs:
  - name: gw${extra}
`;

describe('decodeFile', () => {
  it('reports each YAML syntax error with its line and returns no objects', () => {
    const text = `${route('ok')}---\nkind: Service\nmetadata:\n  name: [unclosed\n`;
    const { objects, errors } = decodeFile(text, 'bad.yaml');
    assert.deepEqual(objects, []);
    assert.ok(errors.length >= 1);
    for (const e of errors) {
      assert.equal(e.code, 'ARCHWAY_ERR_YAML');
      assert.equal(e.file, 'bad.yaml');
    }
    assert.ok(
      errors.some((e) => e.line >= 10),
      JSON.stringify(errors),
    );
  });

  it('rejects duplicate keys as a syntax error', () => {
    const { objects, errors } = decodeFile(
      'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n',
      'f.yaml',
    );
    assert.deepEqual(objects, []);
    assert.equal(errors[0]?.line, 3);
    assert.equal(errors[0]?.code, 'ARCHWAY_ERR_YAML');
  });

  it('gives the start line of every document and skips empty ones', () => {
    const text = `# comment\n---\n${route('a')}---\n---\n# only a comment\n---\n\n${route('b')}`;
    const { objects, errors } = decodeFile(text, 'multi.yaml');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      objects.map((o) => [o.object.metadata.name, o.source]),
      [
        ['a', { file: 'multi.yaml', line: 3 }],
        ['b', { file: 'multi.yaml', line: 15 }],
      ],
    );
  });

  it('expands List and *List documents into their items, with item lines', () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata: {name: one}
- apiVersion: v1
  kind: Namespace
  metadata: {name: two}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRouteList
items:
- apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata: {name: r, namespace: ns}
  spec: {}
`;
    const { objects, errors } = decodeFile(text, 'list.yaml');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      objects.map((o) => [o.object.kind, o.object.metadata.name, o.source.line]),
      [
        ['Namespace', 'one', 4],
        ['Namespace', 'two', 7],
        ['HTTPRoute', 'r', 14],
      ],
    );
  });

  it('requires an object with apiVersion, kind and metadata.name', () => {
    const text = `- a\n- b\n---\nkind: Service\nmetadata: {name: x}\n---\napiVersion: v1\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  namespace: x\n---\napiVersion: v1\nkind: Foo\nmetadata: {name: 7}\n`;
    const { objects, errors } = decodeFile(text, 'f.yaml');
    assert.deepEqual(objects, []);
    assert.deepEqual(
      errors.map((e) => [e.line, e.path, e.code]),
      [
        [1, undefined, 'ARCHWAY_ERR_INVALID_OBJECT'],
        [4, 'apiVersion', 'ARCHWAY_ERR_INVALID_OBJECT'],
        [7, 'kind', 'ARCHWAY_ERR_INVALID_OBJECT'],
        [12, 'metadata.name', 'ARCHWAY_ERR_INVALID_OBJECT'],
        [17, 'metadata.name', 'ARCHWAY_ERR_INVALID_OBJECT'],
      ],
    );
    assert.match(errors[1]?.message ?? '', /required/);
  });

  it('passes unknown kinds through untouched and without validation', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 2, anything: [1, 2]}
---
apiVersion: example.com/v1
kind: HTTPRoute
metadata: {name: foreign}
spec: {whatever: true}
`;
    const { objects, errors } = decodeFile(text, 'f.yaml');
    assert.deepEqual(errors, []);
    assert.deepEqual(objects[0]?.object, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, anything: [1, 2] },
    });
    assert.deepEqual(objects[1]?.object.spec, { whatever: true });
    assert.equal(objects[1]?.object.metadata.namespace, undefined);
  });

  it('defaults the namespace of namespaced kinds and drops it from cluster-scoped ones', () => {
    const text = `${route('r')}---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: c, namespace: ignored}
spec: {controllerName: example.com/ctrl}
`;
    const { objects, errors } = decodeFile(text, 'f.yaml');
    assert.deepEqual(errors, []);
    assert.equal(objects[0]?.object.metadata.namespace, 'default');
    assert.deepEqual(objects[1]?.object.metadata, { name: 'c' });
  });

  it('returns an invalid object as errors (with object, key, path and the line of the field), not as an object', () => {
    const text = `${route('ok')}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bad
  namespace: team
spec:
  rules:
  - matches:
    - path:
        type: Exact
        value: nope
`;
    const { objects, errors } = decodeFile(text, 'routes.yaml');
    assert.deepEqual(
      objects.map((o) => o.object.metadata.name),
      ['ok'],
    );
    assert.equal(errors.length, 1);
    const e = errors[0];
    assert.ok(e);
    assert.deepEqual(e, {
      file: 'routes.yaml',
      line: 19,
      object: 'HTTPRoute team/bad',
      path: 'spec.rules[0].matches[0].path.value',
      message: "must start with '/'",
      code: 'ARCHWAY_ERR_RULE',
      key: 'HTTPRoute/team/bad',
    });
    assert.equal(
      formatConfigError(e),
      "routes.yaml:19: HTTPRoute team/bad: spec.rules[0].matches[0].path.value: must start with '/'",
    );
  });

  it('points an unknown field at its key line and a missing field at its parent', () => {
    const text = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: g}
spec:
  gatewayClassName: c
  listeners:
  - name: http
    protocol: HTTP
    colour: blue
`;
    const { errors } = decodeFile(text, 'gw.yaml');
    assert.deepEqual(
      errors.map((e) => [e.line, e.path, e.code]),
      [
        [7, 'spec.listeners[0].port', 'ARCHWAY_ERR_REQUIRED_FIELD'],
        [9, 'spec.listeners[0].colour', 'ARCHWAY_ERR_UNKNOWN_FIELD'],
      ],
    );
  });

  it('decodes JSON, with lines for syntax and validation errors', () => {
    const good =
      '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "s"},\n  "spec": {"ports": [{"port": 0}]}\n}\n';
    const bad = '{\n  "apiVersion": "v1",\n  "kind": "Service"\n  "metadata": {"name": "s"}\n}\n';
    const one = decodeFile(good, 'svc.json');
    assert.deepEqual(
      one.errors.map((e) => [e.line, e.path]),
      [[5, 'spec.ports[0].port']],
    );
    const two = decodeFile(bad, 'svc.json');
    assert.deepEqual(two.objects, []);
    assert.equal(two.errors[0]?.code, 'ARCHWAY_ERR_YAML');
    assert.equal(two.errors[0]?.line, 4);
  });

  it('resolves anchors and merge keys, and bounds alias expansion', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports:
  - &p {port: 80, name: http}
  - <<: *p
    port: 81
    name: other
`;
    const { objects, errors } = decodeFile(text, 'f.yaml');
    assert.deepEqual(errors, []);
    const spec = objects[0]?.object.spec as { ports: { port: number; targetPort: number }[] };
    assert.deepEqual(
      spec.ports.map((p) => [p.port, p.targetPort]),
      [
        [80, 80],
        [81, 81],
      ],
    );
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    const exploded = decodeFile(`${route('fine')}---\n${bomb}`, 'bomb.yaml');
    assert.deepEqual(exploded.objects, []);
    assert.equal(exploded.errors[0]?.code, 'ARCHWAY_ERR_YAML');
    assert.equal(exploded.errors[0]?.line, 9);
  });

  it('does not share state between calls (decoding twice gives equal, distinct objects)', () => {
    const a = decodeFile(route('x'), 'f.yaml');
    const b = decodeFile(route('x'), 'f.yaml');
    assert.deepEqual(a, b);
    assert.notEqual(a.objects[0]?.object, b.objects[0]?.object);
  });
});
