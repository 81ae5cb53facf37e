import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NODE_FLAGS } from '../../src/cli/node-flags.ts';
import { launcherFlags } from './archway-build.ts';

test('the bench runs Archway with the flags of its launcher', () => {
  assert.deepEqual(launcherFlags(new URL('../..', import.meta.url).pathname), [...NODE_FLAGS]);
  const dir = mkdtempSync(join(tmpdir(), 'launcher-'));
  mkdirSync(join(dir, 'bin'));
  for (const [line, want] of [
    ['#!/usr/bin/env node', []],
    ['#!/usr/bin/env -S node --a=1 --b', ['--a=1', '--b']],
  ] as const) {
    writeFileSync(join(dir, 'bin', 'archway.js'), `${line}\nconsole.log(1);\n`);
    assert.deepEqual(launcherFlags(dir), want);
  }
  rmSync(dir, { recursive: true });
});
