import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from './parser.ts';
import { Unsupported } from './scalars.ts';

const read = (text: string) => parseDocument(text, 0, text.length);

describe('fast YAML reader', () => {
  it('reads block mappings, sequences (also at the key indentation), and compact entries', () => {
    const text = `a: 1
b:
  c: [x, 'y', "z", {d: e}]
  f:
  - g: h
    i:
    - - j
      - k
  -
    l: null
  - # comment
  m: |
    one
      two
  n: >-
    folded
    text
`;
    assert.deepStrictEqual(read(text).value, {
      a: 1,
      b: {
        c: ['x', 'y', 'z', { d: 'e' }],
        f: [{ g: 'h', i: [['j', 'k']] }, { l: null }, null],
        m: 'one\n  two\n',
        n: 'folded text',
      },
    });
  });

  it('gives the offset of the root node and of the items of a List', () => {
    const text = '# head\n\nkind: List\nitems:\n- a: 1\n-\n  b: 2\n- {c: 3}\n';
    const doc = read(text);
    assert.equal(doc.start, text.indexOf('kind'));
    assert.deepEqual(doc.itemStarts, [text.indexOf('a: 1'), text.indexOf('b: 2'), text.indexOf('{c')]);
    const flow = '{kind: List, items: [{a: 1}, {b: 2}]}\n';
    assert.deepEqual(read(flow).itemStarts, [flow.indexOf('{a'), flow.indexOf('{b')]);
    assert.equal(read('spec:\n  items:\n  - a\n').itemStarts, undefined);
  });

  it('reads an empty document as undefined, and stops at the end given', () => {
    assert.equal(read('# nothing\n\n').value, undefined);
    const text = 'a: 1\n---\nb: 2\n';
    assert.deepStrictEqual(parseDocument(text, 0, 5).value, { a: 1 });
  });

  it('keeps __proto__ an own property, as the yaml package does', () => {
    const value = read('__proto__: {polluted: true}\n').value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__']);
  });

  it('leaves everything outside its subset, and everything that may be an error, to the yaml package', () => {
    const unsupported = [
      'a: &x 1\nb: *x\n', // anchors and aliases
      'a: !!str 1\n', // tags
      '<<: {a: 1}\n', // merge keys
      'null: a\n', // null keys
      '[a]: b\n', // collection keys
      '? a\n: b\n', // explicit keys
      'a: 1\na: 2\n', // duplicate keys
      '1: a\n"1": b\n', // keys the yaml package keeps apart but a JavaScript object cannot
      'a: b\n  c\n', // multi-line plain scalars
      'a: "b\n  c"\n', // multi-line quoted scalars
      'a: [b,\n  c]\n', // multi-line flow collections
      'a: |+\n  x\n', // keep chomping
      'a: |2\n   x\n', // indentation indicators
      'a: >\n  x\n    y\n', // more-indented folded lines
      'a: b: c\n', // a mapping on one line
      'a:\n    b: 1\n  c: 2\n', // bad indentation
      'a: [b, ]\n', // trailing comma
      'a: {b}\n', // key without value
      'a: "b" c\n', // text after a quoted scalar
      'a: "b"#c\n', // comment without a space
      'a: [http://b]\n', // colon in a flow plain scalar
      `${'['.repeat(70)}${']'.repeat(70)}\n`, // deep nesting
      `${'k'.repeat(1001)}: v\n`, // long implicit keys
    ];
    for (const text of unsupported) assert.throws(() => read(text), Unsupported, JSON.stringify(text));
  });
});
