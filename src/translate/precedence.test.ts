import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpMatchIR } from '../ir/types.ts';
import { compareKeys, comparePrecedence, type PrecedenceInput, precedenceKey } from './precedence.ts';

function entry(name: string, match: Partial<HttpMatchIR>, extra: Partial<PrecedenceInput> = {}) {
  const full: HttpMatchIR = {
    path: { type: 'PathPrefix', value: '/' },
    method: null,
    headers: [],
    queryParams: [],
    ...match,
  };
  return { name, input: { match: full, createdMs: 0, routeKey: 'ns/r', ruleIndex: 0, matchIndex: 0, ...extra } };
}

const header = { type: 'Exact' as const, name: 'h', value: 'v' };

test('comparePrecedence orders by the spec criteria, in order', () => {
  const expected = [
    entry('exact-long', { path: { type: 'Exact', value: '/match/exact' } }),
    entry('exact-short', { path: { type: 'Exact', value: '/match' } }),
    entry('prefix-long', { path: { type: 'PathPrefix', value: '/match/prefix' } }),
    entry('prefix-method', { path: { type: 'PathPrefix', value: '/match' }, method: 'GET' }),
    entry('prefix-two-headers', { path: { type: 'PathPrefix', value: '/match' }, headers: [header, header] }),
    entry('prefix-one-header-query', {
      path: { type: 'PathPrefix', value: '/match' },
      headers: [header],
      queryParams: [header],
    }),
    entry('prefix-one-header', { path: { type: 'PathPrefix', value: '/match' }, headers: [header] }),
    entry('prefix-older', { path: { type: 'PathPrefix', value: '/match' } }, { createdMs: 1 }),
    entry('prefix-a', { path: { type: 'PathPrefix', value: '/match' } }, { createdMs: 2, routeKey: 'a/r' }),
    entry(
      'prefix-b-rule0-match1',
      { path: { type: 'PathPrefix', value: '/match' } },
      { createdMs: 2, routeKey: 'b/r', matchIndex: 1 },
    ),
    entry(
      'prefix-b-rule1',
      { path: { type: 'PathPrefix', value: '/match' } },
      { createdMs: 2, routeKey: 'b/r', ruleIndex: 1 },
    ),
    entry('root', {}, { createdMs: 0 }),
    entry('regex', { path: { type: 'RegularExpression', value: '/a-very-long-regular-expression' } }),
  ];
  const shuffled = [...expected].reverse();
  shuffled.push(shuffled.shift() as (typeof shuffled)[number]);
  const sorted = shuffled.sort((a, b) => comparePrecedence(a.input, b.input)).map((e) => e.name);
  assert.deepEqual(
    sorted,
    expected.map((e) => e.name),
  );
});

test('precedenceKey compares numbers numerically and route keys by code unit, field by field', () => {
  const key = (extra: Partial<PrecedenceInput>, match: Partial<HttpMatchIR> = {}) =>
    precedenceKey(entry('x', match, extra).input);
  assert.ok(compareKeys(key({ createdMs: 2 }), key({ createdMs: 10 })) < 0);
  assert.ok(compareKeys(key({ createdMs: -5 }), key({ createdMs: 3 })) < 0);
  assert.ok(compareKeys(key({ createdMs: 1e12 }), key({ createdMs: Number.MAX_SAFE_INTEGER })) < 0);
  assert.ok(compareKeys(key({ createdMs: 2 ** 32 - 1 }), key({ createdMs: 2 ** 32 })) < 0);
  assert.ok(compareKeys(key({ routeKey: 'ns/B' }), key({ routeKey: 'ns/a' })) < 0);
  assert.ok(compareKeys(key({ routeKey: 'ns/a', ruleIndex: 300 }), key({ routeKey: 'ns/ab' })) < 0);
  assert.ok(compareKeys(key({ ruleIndex: 2 }), key({ ruleIndex: 256 })) < 0);
  assert.ok(compareKeys(key({ matchIndex: 1 }), key({ ruleIndex: 1 })) < 0);
  assert.ok(compareKeys(key({}, { path: { type: 'PathPrefix', value: '/' + 'a'.repeat(300) } }), key({})) < 0);
  assert.equal(compareKeys(key({ routeKey: 'ns/x' }), key({ routeKey: 'ns/x' })), 0);
});
