import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFile } from '../decode.ts';
import { decodeFast } from './fast.ts';
import { decodeWithYaml } from './located.ts';

const route = (i: number, path = `/api/v${i}`) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r${i}, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches: [{path: {type: PathPrefix, value: ${path}}}]
    backendRefs: [{name: svc, port: 80}]
`;

/** 1-based line of the first occurrence of `needle` in `text`. */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('fast decoding', () => {
  it('decodes many routes with their document lines and the API server defaults', () => {
    const text = Array.from({ length: 50 }, (_, i) => route(i)).join('');
    const fast = decodeFast(text, 'routes.yaml');
    assert.ok(fast, 'the fast path read the file');
    assert.deepEqual(fast.errors, []);
    assert.equal(fast.objects.length, 50);
    assert.deepEqual(fast.objects[49]?.source, { file: 'routes.yaml', line: lineOf(text, 'name: r49') - 2 });
    const spec = fast.objects[0]?.object.spec as { parentRefs: unknown[]; rules: { backendRefs: unknown[] }[] };
    assert.deepEqual(spec.parentRefs, [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }]);
    assert.deepEqual(spec.rules[0]?.backendRefs, [{ group: '', kind: 'Service', name: 'svc', port: 80, weight: 1 }]);
  });

  it('locates an error in one document with the yaml package, and keeps the others', () => {
    const text = [route(1), route(2, 'no-slash'), route(3)].join('');
    const { objects, errors } = decodeFile(text, 'r.yaml');
    assert.deepEqual(
      objects.map((o) => o.object.metadata.name),
      ['r1', 'r3'],
    );
    assert.deepEqual(
      errors.map((e) => [e.line, e.path, e.code]),
      [[lineOf(text, 'no-slash'), 'spec.rules[0].matches[0].path.value', 'ARCHWAY_ERR_RULE']],
    );
  });

  it('fails the whole file on a syntax error in any document, reading only the documents that can have one', () => {
    const broken = '---\nkind: Service\nkind: Secret\nmetadata: {name: x}\n';
    const text = `${route(1)}${broken}${route(2)}${broken}${route(3)}`;
    const fast = decodeFast(text, 'r.yaml');
    assert.ok(fast, 'the fast path reported the errors');
    assert.deepEqual(fast.objects, []);
    assert.equal(fast.errors.length, 2);
    assert.ok(fast.errors.every((e) => e.code === 'ARCHWAY_ERR_YAML'));
    assert.deepEqual(fast, decodeWithYaml(text, 'r.yaml'));
  });

  it('reads the whole file with the yaml package when an unclosed quote or bracket may run into the next document', () => {
    for (const broken of ['  name: [unclosed\n', '  name: "unclosed\n', "  name: 'unclosed\n"]) {
      const text = `${route(1)}---\nkind: Service\nmetadata:\n${broken}${route(2)}`;
      assert.equal(decodeFast(text, 'r.yaml'), undefined, broken);
      const { objects, errors } = decodeFile(text, 'r.yaml');
      assert.deepEqual(objects, []);
      assert.ok(errors.length > 0 && errors.every((e) => e.code === 'ARCHWAY_ERR_YAML'));
    }
  });

  it('caps the errors of a file as before', () => {
    const text = Array.from({ length: 60 }, (_, i) => `---\nkind: S\nmetadata: {name: [x${i}\n`).join('');
    const { errors } = decodeFile(text, 'r.yaml');
    assert.equal(errors.length, 51);
    assert.match(errors[50]?.message ?? '', /more YAML errors not shown/);
    assert.deepEqual(decodeFile(text, 'r.yaml'), decodeWithYaml(text, 'r.yaml'));
  });

  it('reads a document with anchors through the yaml package and the rest fast', () => {
    const anchored =
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - &p {port: 80, name: a}\n  - <<: *p\n    name: b\n    port: 81\n';
    const text = `${route(1)}---\n${anchored}${route(2)}`;
    const fast = decodeFast(text, 'r.yaml');
    assert.ok(fast);
    assert.deepEqual(fast, decodeWithYaml(text, 'r.yaml'));
    const spec = fast.objects[1]?.object.spec as { ports: { name: string; port: number }[] } | undefined;
    const ports = spec?.ports ?? [];
    assert.deepEqual(
      ports.map((p) => [p.name, p.port]),
      [
        ['a', 80],
        ['b', 81],
      ],
    );
  });

  it('gives each List item its own line', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n';
    const fast = decodeFast(text, 'l.yaml');
    assert.deepEqual(
      fast?.objects.map((o) => [o.object.metadata.name, o.source.line]),
      [
        ['a', 4],
        ['b', 7],
      ],
    );
  });

  it('reads JSON with JSON.parse, and leaves duplicate keys to the yaml package, which rejects them', () => {
    const good = '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}}';
    assert.deepEqual(decodeFast(good, 'n.json')?.objects[0]?.object, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n' },
    });
    const duplicate = '{"apiVersion": "v1", "kind": "Namespace", "kind": "Secret", "metadata": {"name": "n"}}';
    const { objects, errors } = decodeFile(duplicate, 'n.json');
    assert.deepEqual(objects, []);
    assert.equal(errors[0]?.code, 'ARCHWAY_ERR_YAML');
  });
});

describe('List documents', () => {
  it('report a List without a list of items as an error (this used to throw a TypeError)', () => {
    for (const text of ['apiVersion: v1\nkind: List\nitems: 3\n', 'apiVersion: v1\nkind: List\n']) {
      const { objects, errors } = decodeFile(text, 'l.yaml');
      assert.deepEqual(objects, []);
      assert.deepEqual(
        errors.map((e) => [e.path, e.message, e.code]),
        [['items', 'a List must have a list of items', 'ARCHWAY_ERR_INVALID_OBJECT']],
      );
    }
  });
});
