/**
 * Differential tests of the fast decoding path against the `yaml` package: whatever the fast reader (or JSON.parse)
 * accepts must be what the `yaml` package reads, with no error; and decodeFile must give exactly what decoding the
 * whole file with the `yaml` package gives: the same objects, defaults, key order, source lines and errors.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { decodeFile } from '../decode.ts';
import { parseJson } from '../fastyaml/json.ts';
import { parseDocument } from '../fastyaml/parser.ts';
import { Unsupported } from '../fastyaml/scalars.ts';
import { segments } from '../fastyaml/segments.ts';
import { decodeWithYaml } from './located.ts';

/** Scalars that YAML 1.1, YAML 1.2 and JSON read differently, look like numbers, or are not plain scalars at all. */
const SCALARS: readonly string[] = [
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'Yes',
  'NO',
  'True',
  'TRUE',
  'tRUE',
  'true',
  'false',
  'False',
  'FALSE',
  'null',
  'Null',
  'NULL',
  'nULL',
  '~',
  '0o17',
  '0O17',
  '017',
  '0x1F',
  '0X1F',
  '0xg',
  '0b101',
  '+1',
  '-1',
  '-0',
  '+0',
  '1_000',
  '1,000',
  '1e3',
  '1E3',
  '1e+3',
  '1.',
  '.5',
  '-.5',
  '+.5',
  '1.5e-3',
  '.inf',
  '-.inf',
  '+.INF',
  '.Inf',
  '.NaN',
  '.nan',
  '.NAN',
  '-.nan',
  '12:30:00',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '0.1.2',
  '1.0.0',
  'v1',
  '123456789012345678901234567890',
  '0x',
  '0o',
  '0o8',
  '1e400',
  '-1e400',
  '0000',
  '00.5',
  '1.0',
  '1.50',
  '-0.0',
  "'quoted'",
  '"dq"',
  '"\\u00e9"',
  '"\\x41"',
  '"\\U0001F600"',
  '"\\ud83d\\ude00"',
  "'it''s'",
  '"a\\"b"',
  '"a\\\\b"',
  '"\\N\\_\\L\\P"',
  '"\\/"',
  '"\\q"',
  "'unterminated",
  '"\\0\\a\\b\\e\\f\\n\\r\\t\\v"',
  '""',
  "''",
  '"\\x4"',
  '"\\uZZZZ"',
  'a#b',
  'a #b',
  'a b',
  'a  b  ',
  'http://x.y/z?q=1',
  'a: b',
  'a:',
  'a:b',
  '-a',
  '-1.5',
  '- a',
  '-',
  ':x',
  '?x',
  '? x',
  '@x',
  '`x',
  '%x',
  '&a b',
  '*a',
  '!!str 1',
  '!!int "3"',
  '!x y',
  '!!binary aGk=',
  '[a, b]',
  '{a: 1}',
  '[]',
  '{}',
  '[a, [b, c], {d: e}]',
  '{a: [1, 2], "b": c, \'d\': null}',
  '{"a":1}',
  '{a:1}',
  '{a: }',
  '[a, , b]',
  '[a, b, ]',
  '[a: b]',
  '{a, b}',
  '[a #c]',
  '[a] #c',
  '[a]#c',
  '"b"#c',
  '"b" #c',
  "'b' c",
  'b]',
  'b}',
  'b,c',
  '{b',
  '[b',
  'ключ',
  '😀',
  'a\u00a0b',
  '|',
  '|-',
  '>',
  '|+',
  'b: c',
  'b - c',
  '"a" "b"',
  'x ',
  '<<',
  '"<<"',
  '.',
  '..',
  '...x',
  '---x',
  '--- x',
  '-.',
  '+',
  '+.',
  '0.',
  '.0e1',
  '1e',
  'e1',
  '0o17x',
  '+0x1',
  '-0x1',
  '+0o7',
  '0x_1',
];

/** Documents at the edges of the fast subset: structure, indentation, comments, block scalars, keys, markers. */
const DOCS: readonly string[] = [
  'a: 1\nb:\n  c: 2\n  d: [3, 4]\n',
  'a:\n- 1\n- 2\nb: 3\n',
  'a:\n  - 1\n  - 2\nb: 3\n',
  '- a\n- b: 1\n  c: 2\n- - x\n  - y\n-\n  z: 1\n-\n- last\n',
  '-   a: 1\n    b: 2\n-   c: 3\n',
  'a:\n\nb: 1\n',
  'a: # comment\n  b: 1\n',
  'a: b\n  # more indented comment\nc: d\n',
  'a:\n    b: 1\n  c: 2\n',
  'a:\n  b: 1\n c: 2\n',
  'a: b\n  c\n',
  'a: b\n   c: d\n',
  '- a\n  b\n',
  'a: "b\n  c"\n',
  "a: 'b\n  c'\n",
  'a: [b,\n  c]\n',
  'a: {b: 1,\n  c: 2}\n',
  'a: |\n  line1\n  line2\nb: 1\n',
  'a: |-\n  line1\n  line2\nb: 1\n',
  'a: |+\n  line1\n\nb: 1\n',
  'a: >\n  folded\n  text\nb: 1\n',
  'a: |2\n   x\n',
  'a: |\n  x\n\n  y\n\n\nb: 1\n',
  'a: |\n  x\n  ',
  'a: |\n  x',
  'a: |\n    x\n  y\n',
  'a: |\n    x\n  # c\nb: 1\n',
  'a: |\n  x\n# c\nb: 1\n',
  'a: |\nb: 1\n',
  'a: |\n\n  x\n',
  'a: |\n  \n  x\n',
  'a: |\n  x\n   \n  y\n',
  'a: | # c\n  x\n',
  'a: |#c\n  x\n',
  '- |\n  x\n- y\n',
  '- a: |\n    x\n  b: 1\n',
  '- a: |\n   x\n',
  'a:\n  |\n  x\n',
  'a: |\n  ---\n  x\n',
  'k: v\r\nl: |\r\n  x\r\n  y\r\nm: [1, 2]\r\n',
  'k: v\rl: w\n',
  '\ufeffa: 1\n',
  'a:\tb\n',
  'a:\n\t- b\n',
  'a: b\u0085c\n',
  'a: b\u2028c\n',
  'a: \ud800\n',
  'a: 😀\n',
  'ключ: значение\n',
  '__proto__: x\nconstructor: y\ntoString: 1\n',
  '__proto__: {a: 1}\n',
  '{__proto__: 1}\n',
  '2: a\n1: b\nx: c\n',
  '1: a\n"1": b\n',
  '1: a\n1.0: b\n',
  'true: a\nTrue: b\n',
  'a: 1\na: 2\n',
  '{a: 1, a: 2}\n',
  'null: a\n',
  '~: a\n',
  ': a\n',
  '? a\n: b\n',
  '[a, b]: c\n',
  '{a: 1}: c\n',
  '"a": b\n\'c\' : d\n"e" :f\n',
  'a b: c\na:b: c\nhttp://x: y\n',
  'a : b\n',
  `${'k'.repeat(1100)}: v\n`,
  `${'k'.repeat(1000)}: v\n`,
  '.inf: a\n-0: b\n0o17: c\n0x1F: d\n',
  '&a x: 1\n',
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: !foo bar\n',
  '<<: {a: 1}\nb: 2\n',
  '"<<": 1\n',
  'a: b: c\n',
  'a: - b\n',
  '- - - a\n    - b\n  - c\n',
  'just a scalar\n',
  '"quoted root"\n',
  '[a, b]\n',
  '{a: 1, b: [2, 3]}\n',
  '  a: 1\n  b: 2\n',
  '  a: 1\nb: 2\n',
  '# only a comment\n',
  '',
  '\n\n',
  'a: 1 # c\nb: "x" # c\nc: [1] # c\nd: {e: f} # c\n',
  'a: [ ]\nb: { }\nc: [[]]\nd: [{}]\n',
  'a: [ a , b ]\n',
  'a: {"b":c, "d" : e}\n',
  'a: [1, "2", \'3\', -4, .5, ~, null, true]\n',
  'a: x\n\n\n# trailing\n\n',
  'a:   \n  b: 1\n',
  'a:\n  - b\n  -   c\n',
  '-\n  - a\n',
  'a:\n- b\n-\n- c: d\n  e: f\n',
  'a:\n  b:\n  - c\n  d: e\n',
  'a:\n  b:\n    - c\n  d: e\n',
  'a:\n  b:\n  - c\n - d\n',
  '- a\n -b\n',
  'x: -\n',
  'x: - \n',
  'x: --\n',
  'x: ---\n',
  'x: ...\n',
  '- ---\n',
  'x: a,b]\n',
  'x: [a]]\n',
  'x: {a: b}}\n',
  'x: [{a: b}, {c: d}]\n',
  'x: [{a: [b, {c: d}]}]\n',
  'x: ["a,b", \'c]d\']\n',
  'x: [a b, c d]\n',
  'x: [a:b]\n',
  'x: [http://a]\n',
  'x: {a: http://b}\n',
  'x: {a: b:c}\n',
  'x: {"a": [1, 2], b: {c: d}}\n',
  'x: {a: 1,b: 2}\n',
  'x: {a: 1 ,b: 2}\n',
  'x: [1,2,3]\n',
  'x: [ 1 ,2 , 3 ]\n',
  'x:\n- [a, b]\n- {c: d}\n',
  '- {a: 1}\n- [b]\n',
  'a: b\n---\nc: d\n',
  'a: b\n...\nc: d\n',
  'a: b\n... # c\n---\nc: d\n',
  '--- # c\na: b\n',
  '--- a: b\n',
  '--- |\n  x\n',
  '--- >\n  x\n',
  '---\n---\n',
  '%YAML 1.1\n---\na: yes\n',
  '%TAG ! tag:example.com,2000:\n---\na: !foo b\n',
  'a: yes\n--- !!map\nb: 1\n',
  'a: "unterminated\nb: 1\n',
  'a: [1, 2\n---\nb: 1\n',
  `${'- '.repeat(70)}a\n`,
  `${'['.repeat(70)}${']'.repeat(70)}\n`,
  'a: b #c\n#d\n  #e\n',
  'a:\n  # c\n  b: 1\n',
  'a:\n# c\n  b: 1\n',
  'a:\n  b: 1\n# c\n  c: 2\n',
  'a: 1\n\n  \nb: 2\n',
  'a: "x\\\ny"\n',
  "a: ''''\n",
  'a: "b" \n',
  'a: b   \n',
  '"a\\tb": 1\n',
  "'a''b': 1\n",
  '"": 1\n',
  "'': 1\n",
  '" ": 1\n',
  'a: "\\"quoted\\""\n',

  'a: >\n  one\n  two\n\n  three\n\n\n  four\nb: 1\n',
  'a: >-\n  one\n  two\nb: 1\n',
  'a: >\n  one\n    more\n  two\n',
  'a: >\n  x\n',
  'a: >\n\n  x\n',
  'a: >\nb: 1\n',
  'a: > # c\n  x y  \n  z\n',
  '- >\n  folded\n  line\n- x\n',
  'a: ::1\nb: [::1, "::2"]\nc: {d: ::1}\n::1: x\n',
  'a: ?x\nb: -x\nc: :x\n',
  'a: ?\nb: :\n',
  'a: [?x, :y]\n',
  'a: [:, ?]\n',
  'a: [-, :]\n',
];

/** Every document of `text` as the fast reader reads it, or undefined when it leaves any to the `yaml` package. */
function readFast(text: string): unknown[] | undefined {
  const segs = segments(text);
  if (!segs) return undefined;
  const values: unknown[] = [];
  for (const seg of segs) {
    if (!seg.fast) return undefined;
    try {
      const { value } = parseDocument(text, seg.body, seg.end);
      if (value !== undefined && value !== null) values.push(value);
    } catch (err) {
      if (err instanceof Unsupported) return undefined;
      throw err;
    }
  }
  return values;
}

/** Every document of `text` as the `yaml` package reads it, or undefined on any error. */
function readYaml(text: string): unknown[] | undefined {
  const docs = parseAllDocuments(text, { merge: true, prettyErrors: false, logLevel: 'error' });
  if (docs.some((d) => d.errors.length > 0)) return undefined;
  const values = docs.filter((d) => d.contents !== null).map((d) => d.toJS({ maxAliasCount: 100 }));
  return values.filter((v) => v !== null && v !== undefined);
}

/** Equal values, and equal key order (deepStrictEqual does not compare it). */
function assertSame(actual: unknown, expected: unknown, message: string): void {
  assert.deepStrictEqual(actual, expected, message);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), message);
}

function texts(): string[] {
  const places = [(s: string) => `k: ${s}\n`, (s: string) => `- ${s}\n`, (s: string) => `[${s}]\n`];
  return [...DOCS, ...places.flatMap((place) => SCALARS.map(place)), ...SCALARS.map((s) => `{k: ${s}}\n${s}: v\n`)];
}

describe('fast YAML reader against the yaml package', () => {
  it('reads only what the yaml package reads without error, to the same values', () => {
    let fast = 0;
    for (const text of texts()) {
      const values = readFast(text);
      if (!values) continue;
      fast++;
      const expected = readYaml(text);
      assert.ok(expected, `the fast reader accepts what the yaml package rejects: ${JSON.stringify(text)}`);
      assertSame(values, expected, JSON.stringify(text));
    }
    assert.ok(fast > 400, `only ${fast} texts took the fast path`);
  });

  it('takes JSON.parse only where the yaml package agrees', () => {
    const cases = [
      '{"a": 1, "b": [1.0, -0, 1e400, 12345678901234567890, "\\u00e9\\/"], "c": {"__proto__": null}}',
      '  [\n{"apiVersion": "v1"}\n]\n',
      '{"a": 1, "a": 2}',
      '{"a": {"b": 1}, "c": {"b": 1, "b": 2}}',
      '{"a:b": ":", "c": "\\"x:"}',
      '{"a": "\\ud800"}',
      '\ufeff{"a": 1}',
      '{\t"a": 1}',
      '{"a": 1}\r\n',
      '{"a": 1} x',
      `{"${'k'.repeat(1100)}": 1}`,
    ];
    for (const text of cases) {
      const json = parseJson(text);
      if (!json) continue;
      assertSame([json.value], readYaml(text), text);
    }
    assert.equal(parseJson('{"a": 1, "a": 2}'), undefined);
    assert.equal(parseJson('{"a": {"b": 1}, "c": {"b": 1, "b": 2}}'), undefined);
    assert.ok(parseJson('{"a:b": ":", "c": "\\"x:"}'));
  });
});

// ------------------------------------------------------------------------------------------------ whole files

const route = (i: number, extra = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r${i}, namespace: default}
spec:
  parentRefs: [{name: gw}]
  hostnames: [app${i}.example.com]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /api/v${i}}
      headers:
      - name: x-tenant
        value: t${i}
    backendRefs:
    - name: svc
      port: 80${extra}
`;

const LIST = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: s
    annotations:
      note: |
        multi
        line
  spec:
    ports:
    - port: 80
      name: http
- apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata: {name: g}
  spec:
    gatewayClassName: c
    listeners: [{name: http, port: 80, protocol: HTTP}]
`;

const JSON_SERVICE =
  '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "s"},\n  "spec": {"ports": [{"port": 80}]}\n}\n';
const JSON_LIST =
  '{"apiVersion": "v1", "kind": "List", "items": [\n {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}},\n {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "B"}}]}\n';

const FILES: readonly string[] = [
  route(1),
  `${route(1)}---\n${route(2, '\n      weight: -1')}---\n${route(3)}`,
  `${route(1)}---\n${route(2).replace('/api', 'api')}`,
  `${route(1)}---\n${route(2).replace('port: 80', 'port: 80\n      colour: blue')}`,
  `${route(1)}---\n${route(2).replace('name: r2', 'name: r2\n  labels: &l {a: b}')}`,
  `${route(1)}---\nkind: Service\nmetadata:\n  name: [unclosed\n---\n${route(3)}`,
  `${route(1)}---\na: 1\na: 2\n`,
  LIST,
  LIST.replace('port: 80', 'port: 0'),
  LIST.replace('kind: List', 'kind: ServiceList'),
  LIST.replace('- apiVersion: v1\n  kind: Service', '-\n  apiVersion: v1\n  kind: Service').replace(
    '- apiVersion: gateway',
    '- # the gateway\n  apiVersion: gateway',
  ),
  'apiVersion: v1\nkind: List\nitems: 3\n',
  'apiVersion: v1\nkind: List\n',
  '- a\n---\nkind: Service\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Foo\nmetadata: {name: 7}\n',
  JSON_SERVICE,
  JSON_SERVICE.replace('"port": 80', '"port": 0'),
  JSON_SERVICE.replace('"kind": "Service",', '"kind": "Service", "kind": "Secret",'),
  JSON_LIST,
  `# c\n---\n${route(4)}...\n---\n${LIST}`,
  `%YAML 1.2\n---\n${route(5)}`,
  route(6).replaceAll('\n', '\r\n'),
];

describe('decodeFile against decoding the whole file with the yaml package', () => {
  it('gives the same objects and errors for each file', () => {
    for (const text of FILES) {
      for (const file of ['f.yaml', 'f.json']) assertSame(decodeFile(text, file), decodeWithYaml(text, file), text);
    }
  });

  it('gives the same objects and errors for mutated files (seeded, bounded)', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const tokens = [' ', '  ', '\n', ': ', '- ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '|', '>', 'a', '1', '/'];
    const more = ['---\n', '...\n', '&a ', '*a', '!', '~', 'x: y\n', '  port: 70000\n', '  - name: q\n', '\t', '\r\n'];
    for (let n = 0; n < 300; n++) {
      let text = pick(FILES);
      for (let m = Math.floor(random() * 4); m > 0; m--) {
        const i = Math.floor(random() * (text.length + 1));
        if (random() < 0.6) text = text.slice(0, i) + pick([...tokens, ...more]) + text.slice(i);
        else text = text.slice(0, i) + text.slice(i + 1 + Math.floor(random() * 3));
      }
      assertSame(decodeFile(text, 'f.yaml'), decodeWithYaml(text, 'f.yaml'), JSON.stringify(text));
    }
  });
});

const manifests = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'shared',
  'conformance',
  'manifests',
);

describe('upstream conformance manifests', { skip: existsSync(manifests) ? false : `${manifests} not found` }, () => {
  it('decode as the yaml package decodes them, every document on the fast path', () => {
    const files = readdirSync(manifests, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length > 100);
    for (const file of files) {
      const text = readFileSync(join(manifests, file), 'utf8');
      assert.ok(readFast(text), `${file} is not read by the fast reader`);
      assertSame(decodeFile(text, file), decodeWithYaml(text, file), file);
    }
  });
});
