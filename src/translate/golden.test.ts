/**
 * Golden tests: testdata/<behaviour>.in.yaml -> <behaviour>.status.yaml and <behaviour>.ir.yaml.
 *
 * Each input is multi-document YAML of objects. Gateway addresses: by default every Gateway gets 127.0.10.<n>, n its
 * 1-based position in namespace/name order; a line `# addresses: ns/name=IP ns/other=IP` in the input replaces that
 * with exactly the listed entries (`# addresses: none` for an empty map). What the runtime would find on the host:
 * `# unusable: IP IP` (static addresses no interface has) and `# unbound: address:port error text` (one line per IR
 * listener the data plane failed to bind). ARCHWAY_UPDATE_GOLDEN=1 rewrites the expected files; read the diff
 * before committing it. Every case is also checked for purity: the input is deep-frozen
 * and translated twice, with identical results.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../api/types.ts';
import { snapshotFromObjects } from './fixtures.ts';
import { translate } from './translate.ts';
import type { TranslateOptions } from './types.ts';

const DIR = join(import.meta.dirname, 'testdata');
const UPDATE = process.env.ARCHWAY_UPDATE_GOLDEN === '1';
const CONTROLLER = 'archway.dev/gateway-controller';
const FEATURES = ['Gateway', 'HTTPRoute', 'ReferenceGrant'];

function loadObjects(text: string): KubeObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`bad YAML: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as KubeObject | null;
    return value ? [value] : [];
  });
}

function addressesFor(text: string, objects: readonly KubeObject[]): Map<string, string> {
  const pragma = text.split('\n').filter((l) => l.startsWith('# addresses:'));
  if (pragma.length > 0) {
    const pairs = pragma.flatMap((l) =>
      l
        .slice('# addresses:'.length)
        .trim()
        .split(/[\s,]+/),
    );
    return new Map(pairs.filter((p) => p && p !== 'none').map((p) => p.split('=') as [string, string]));
  }
  const keys = objects
    .filter((o) => o.kind === 'Gateway')
    .map((o) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`);
  return new Map([...keys].sort().map((k, i) => [k, `127.0.10.${i + 1}`]));
}

/** The values of every `# <name>: ...` pragma line, one entry per line. */
function pragmas(text: string, name: string): string[] {
  const prefix = `# ${name}:`;
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length).trim());
}

/** Options from the `# unusable:` and `# unbound:` pragmas, only when present. */
function runtimeFindings(text: string): Pick<TranslateOptions, 'unusableAddresses' | 'unboundListeners'> {
  const unusable = pragmas(text, 'unusable').flatMap((l) => l.split(/\s+/).filter(Boolean));
  const unbound = pragmas(text, 'unbound').map((l): [string, string] => {
    const space = l.indexOf(' ');
    return space < 0 ? [l, 'bind failed'] : [l.slice(0, space), l.slice(space + 1)];
  });
  return {
    ...(unusable.length > 0 && { unusableAddresses: new Set(unusable) }),
    ...(unbound.length > 0 && { unboundListeners: new Map(unbound) }),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function render(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

function checkGolden(path: string, actual: unknown): void {
  const text = render(actual);
  if (UPDATE) {
    writeFileSync(path, text);
    return;
  }
  assert.ok(existsSync(path), `${path} is missing: run with ARCHWAY_UPDATE_GOLDEN=1`);
  const expected = parseAllDocuments(readFileSync(path, 'utf8'))[0]?.toJS() ?? null;
  assert.deepStrictEqual(JSON.parse(JSON.stringify(actual)), expected, `${path} differs`);
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.in.yaml'))
  .map((f) => f.slice(0, -'.in.yaml'.length))
  .sort();

for (const name of cases) {
  test(`golden: ${name}`, () => {
    const text = readFileSync(join(DIR, `${name}.in.yaml`), 'utf8');
    const objects = deepFreeze(loadObjects(text));
    const opts: TranslateOptions = {
      controllerName: CONTROLLER,
      gatewayAddresses: addressesFor(text, objects),
      supportedFeatures: FEATURES,
      ...runtimeFindings(text),
    };
    const snap = deepFreeze(snapshotFromObjects(objects));
    const result = translate(snap, opts);
    const again = translate(snap, opts);
    const status = Object.fromEntries(result.statuses);
    assert.deepStrictEqual(again.ir, result.ir, 'translate is not deterministic (IR)');
    assert.deepStrictEqual(Object.fromEntries(again.statuses), status, 'translate is not deterministic (status)');
    checkGolden(join(DIR, `${name}.status.yaml`), status);
    checkGolden(join(DIR, `${name}.ir.yaml`), result.ir);
  });
}

test('golden: there are cases', () => {
  assert.ok(cases.length > 0);
});
