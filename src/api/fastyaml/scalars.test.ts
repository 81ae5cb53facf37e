import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { doubleQuoted, plainValue, type Quoted, singleQuoted, Unsupported } from './scalars.ts';

/** Plain scalars whose meaning differs between YAML 1.1, YAML 1.2 and JSON, or that look like numbers. */
const PLAIN = [
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
  'falsey',
  'null',
  'Null',
  'NULL',
  'nULL',
  'nullable',
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
  '.',
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
  'nan',
  'inf',
  'Infinity',
  'NaN',
  'tru',
  'f',
  'ключ',
  '😀',
  'a b',
  'http://x.y/z?q=1',
  '::1',
  '-a',
  '?x',
  '/api/v1',
  'x-tenant',
];

describe('plainValue', () => {
  it('resolves every plain scalar exactly as the yaml package (YAML 1.2 core schema) does', () => {
    for (const s of PLAIN) {
      const expected: unknown = parse(`k: ${s}\n`).k;
      assert.deepStrictEqual(plainValue(s), expected, s);
    }
  });

  it('keeps YAML 1.1 booleans, octals and timestamps as strings', () => {
    assert.equal(plainValue('yes'), 'yes');
    assert.equal(plainValue('0o17'), 15);
    assert.equal(plainValue('017'), 17);
    assert.equal(plainValue('2001-12-14'), '2001-12-14');
    assert.equal(plainValue('.inf'), Number.POSITIVE_INFINITY);
    assert.ok(Object.is(plainValue('-0'), -0));
  });
});

function quoted(read: typeof doubleQuoted, text: string): Quoted {
  const out: Quoted = { value: '', end: 0 };
  read(text, 0, text.length, out);
  return out;
}

describe('quoted scalars', () => {
  it('decodes double-quoted escapes as the yaml package does', () => {
    for (const body of [
      '\\u00e9',
      '\\x41',
      '\\U0001F600',
      '\\ud83d\\ude00',
      'a\\"b',
      'a\\\\b',
      '\\N\\_\\L\\P',
      '\\/',
    ]) {
      const text = `"${body}"`;
      assert.equal(quoted(doubleQuoted, `${text} # rest`).value, parse(text), text);
    }
    assert.equal(quoted(doubleQuoted, '"ab" x').end, 4);
  });

  it('reads single quotes doubled as one', () => {
    assert.deepEqual(quoted(singleQuoted, "'it''s' # c"), { value: "it's", end: 7 });
  });

  it('leaves invalid escapes and unclosed quotes to the yaml package', () => {
    for (const text of ['"\\q"', '"\\x4"', '"\\uZZZZ"', '"open', '"a\\']) {
      assert.throws(() => quoted(doubleQuoted, text), Unsupported, text);
    }
    assert.throws(() => quoted(singleQuoted, "'open"), Unsupported);
  });
});
