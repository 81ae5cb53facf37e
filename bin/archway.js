#!/usr/bin/env node
// The archway command. A published package runs the compiled JS in dist/; a checkout runs the TypeScript sources
// directly (Node >= 24 strips types), so no build step is needed to run or test.
import { existsSync } from 'node:fs';

const dist = new URL('../dist/cli/main.js', import.meta.url);
const mod = existsSync(dist)
  ? await import(dist.href)
  : await import(new URL('../src/cli/main.ts', import.meta.url).href);
await mod.main(process.argv.slice(2));
