import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decodeFile } from '../decode.ts';
import { yamlLoaded } from './yaml-lazy.ts';

// Runs in its own process (node --test isolates files), so nothing else has loaded the package yet.
const PLAIN = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  ports:
    - port: 8080
      targetPort: 80
`;

it('a config in the fast subset is decoded without loading the yaml package; a fallback loads it', () => {
  const fast = decodeFile(PLAIN, 'svc.yaml');
  assert.deepEqual(fast.errors, []);
  assert.equal(fast.objects.length, 1);
  assert.equal(yamlLoaded(), false);

  const anchored = `${PLAIN.replace('name: web', 'name: &n web')}  selector:\n    app: *n\n`;
  const slow = decodeFile(anchored, 'svc.yaml');
  assert.equal(yamlLoaded(), true, 'aliases are outside the fast subset');
  assert.deepEqual(slow.errors, []);
  assert.equal(slow.objects.length, 1);
});
