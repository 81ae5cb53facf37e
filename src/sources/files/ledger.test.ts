import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/types.ts';
import { Store } from '../../store/store.ts';
import { Ledger, type Provided } from './ledger.ts';

const svc = (port: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', namespace: 'ns' },
  spec: { ports: [{ port }] },
});
const KEY = 'Service/ns/s';

test('the ledger keeps the store object of a committed winner, and falls back to the other file', () => {
  const store = new Store();
  const ledger = new Ledger();
  ledger.set('a.yaml', new Map<string, Provided>([[KEY, { object: svc(80), seq: ledger.nextSeq() }]]));
  ledger.commit(store);
  assert.equal(ledger.winner(KEY)?.object, store.get(KEY), 'one copy: the store one');
  ledger.set('b.yaml', new Map<string, Provided>([[KEY, { object: svc(81), seq: ledger.nextSeq() }]]));
  ledger.commit(store);
  assert.deepEqual(store.get(KEY)?.spec, { ports: [{ port: 81 }] });
  const uid = store.get(KEY)?.metadata.uid;
  ledger.delete('b.yaml');
  ledger.commit(store);
  assert.deepEqual(store.get(KEY)?.spec, { ports: [{ port: 80 }] }, "a.yaml's version is back");
  assert.equal(store.get(KEY)?.metadata.uid, uid);
  assert.equal(store.get(KEY)?.metadata.generation, 3);
  ledger.delete('a.yaml');
  ledger.commit(store);
  assert.equal(store.get(KEY), undefined);
});
