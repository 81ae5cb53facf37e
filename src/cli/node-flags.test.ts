import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NODE_FLAGS } from './node-flags.ts';

const root = new URL('../../', import.meta.url);
const flags = NODE_FLAGS.join(' ');

describe('NODE_FLAGS', () => {
  it('are the flags of the archway command', () => {
    const first = readFileSync(new URL('bin/archway.js', root), 'utf8').split('\n')[0];
    assert.equal(first, `#!/usr/bin/env -S node ${flags}`);
  });

  it('are the flags of npm start', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: { start: string } };
    assert.ok(pkg.scripts.start.startsWith(`node ${flags} `), pkg.scripts.start);
  });
});
