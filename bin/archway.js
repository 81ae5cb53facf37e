#!/usr/bin/env -S node --max-semi-space-size=4 --gc-memory-reducer-start-delay-ms=2000 --memory-reducer-delay-ms=2000
// The archway command. Installed as a package (under node_modules, where Node does not strip types) it runs the
// compiled JS in dist/ (`npm run build`, run by `npm pack`/`npm publish` through `prepack`); in a checkout it runs
// the TypeScript sources directly (Node >= 24 strips types), so no build step is needed and nothing can be stale.
import { existsSync } from 'node:fs';

const installed = import.meta.url.includes('/node_modules/');
const dist = new URL('../dist/cli/main.js', import.meta.url);
const entry = installed && existsSync(dist) ? dist : new URL('../src/cli/main.ts', import.meta.url);
const mod = await import(entry.href);
await mod.main(process.argv.slice(2));
