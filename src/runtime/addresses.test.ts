import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AddressPool, AddressPoolError } from './addresses.ts';

test('assignments are stable and freed addresses are reused lowest first', () => {
  const pool = new AddressPool('127.0.10.0/24');
  assert.deepEqual(
    [...pool.assign(['ns/b', 'ns/a'])],
    [
      ['ns/a', '127.0.10.1'],
      ['ns/b', '127.0.10.2'],
    ],
  );
  const second = pool.assign(['ns/b', 'ns/c']);
  assert.equal(second.get('ns/b'), '127.0.10.2', 'an existing Gateway keeps its address');
  assert.equal(second.get('ns/c'), '127.0.10.1', 'the freed lowest address is reused');
  assert.equal(second.has('ns/a'), false);
});

test('an exhausted pool leaves the rest unassigned', () => {
  const pool = new AddressPool('127.0.10.0/30');
  const got = pool.assign(['a', 'b', 'c']);
  assert.deepEqual([...got.values()].sort(), ['127.0.10.1', '127.0.10.2']);
});

test('bad CIDRs are rejected with a clear error', () => {
  assert.throws(() => new AddressPool('nonsense'), AddressPoolError);
  assert.throws(() => new AddressPool('127.0.0.300/24'), /not an IPv4 address/);
});
