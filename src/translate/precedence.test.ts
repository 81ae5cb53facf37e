import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpMatchIR } from '../ir/types.ts';
import { compareKeys, comparePrecedence, type PrecedenceInput } from './precedence.ts';

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

test('compareKeys compares numbers numerically and strings by code unit', () => {
  assert.ok(compareKeys([2], [10]) < 0);
  assert.ok(compareKeys(['B'], ['a']) < 0);
  assert.ok(compareKeys([1, 'ns/a'], [1, 'ns/b']) < 0);
  assert.equal(compareKeys([1, 'x'], [1, 'x']), 0);
});
