/**
 * Guards against over-strict validation: every manifest of the upstream conformance suite is accepted by a real API
 * server (the suite applies them and fails otherwise), so each must decode without a single error.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeFile, formatConfigError } from './decode.ts';
import { isValidatedKind } from './validate/index.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifests = resolve(root, '..', 'shared', 'conformance', 'manifests');
const present = existsSync(manifests);

/** The runner's substitutions (the address pools stand in for the suite's --usable/--unusable-address flags). */
const PLACEHOLDERS: readonly [string, string][] = [
  ['{GATEWAY_CLASS_NAME}', 'archway'],
  ['{GATEWAY_CONTROLLER_NAME}', 'archway.dev/gateway-controller'],
  ['PLACEHOLDER_UNUSABLE_ADDRS', '192.0.2.1'],
  ['PLACEHOLDER_USABLE_ADDRS', '127.0.0.1'],
];

function files(): string[] {
  const all = readdirSync(manifests, { recursive: true, encoding: 'utf8' });
  return all.filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
}

describe('upstream conformance manifests', { skip: present ? false : `${manifests} not found` }, () => {
  it('decode without errors, validating every Gateway API and core object', () => {
    const list = files();
    assert.ok(list.length > 100, `found only ${list.length} manifest files`);
    const errors: string[] = [];
    const validated = new Map<string, number>();
    for (const file of list) {
      let text = readFileSync(join(manifests, file), 'utf8');
      for (const [from, to] of PLACEHOLDERS) text = text.replaceAll(from, to);
      const decoded = decodeFile(text, file);
      errors.push(...decoded.errors.map(formatConfigError));
      for (const { object } of decoded.objects) {
        if (isValidatedKind(object.apiVersion, object.kind))
          validated.set(object.kind, (validated.get(object.kind) ?? 0) + 1);
      }
    }
    assert.deepEqual(errors, []);
    for (const kind of ['Gateway', 'HTTPRoute', 'ReferenceGrant', 'GatewayClass', 'Service', 'Namespace', 'Secret']) {
      assert.ok((validated.get(kind) ?? 0) > 0, `no ${kind} was validated`);
    }
    assert.ok((validated.get('HTTPRoute') ?? 0) >= 100, `only ${validated.get('HTTPRoute')} HTTPRoutes`);
  });
});
