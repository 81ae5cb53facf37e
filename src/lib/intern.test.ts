import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intern } from './intern.ts';

describe('intern', () => {
  it('returns an equal string, for every kind of string', () => {
    for (const s of ['', 'a', 'x'.repeat(100), `${'ab'.repeat(20)}/${Math.random()}`, '日本語', '0', '42', '-1']) {
      assert.equal(intern(s), s);
    }
  });
});
