import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Params, parseParams } from './params.ts';

const parse = (...argv: string[]) => parseParams(argv) as Params;

test('the workers scenario is in the default set and runs on the cores given', () => {
  assert.ok(parse().scenarios.has('workers'));
  assert.equal(parse('--multi-core', '0,1').multiCore, '0,1');
  const auto = parse();
  assert.equal(auto.multiCore, auto.cpus >= 3 ? '1,2' : undefined);
});

test('--only rejects an unknown scenario', () => {
  assert.throws(() => parse('--only', 'http1,nope'), /unknown scenario "nope"/);
  assert.deepEqual([...parse('--only', 'workers').scenarios], ['workers']);
});
