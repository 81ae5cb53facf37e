/**
 * Applies that reuse what an earlier apply compiled (the translator keeps unchanged IR objects): an endpoint change
 * moves traffic with the listener IR unchanged, a route added to a virtual host serves next to the kept ones, and a
 * cluster that disappears and comes back is resolved again by routes compiled before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ClusterIR, IR } from '../ir/types.ts';
import { Dataplane } from './dataplane.ts';
import { send } from './testing/client.ts';
import { type EchoServer, startEcho } from './testing/echo.ts';
import { ENGINES } from './testing/engines.ts';
import { backend, cluster, listener, match, route, vhost } from './testing/ir.ts';

const NAME = '127.0.0.1:0';

for (const engine of ENGINES) {
  describe(`incremental apply (${engine} engine)`, () => {
    let a: EchoServer;
    let b: EchoServer;
    let dp: Dataplane;
    before(async () => {
      [a, b] = await Promise.all([startEcho('a'), startEcho('b')]);
      dp = new Dataplane({ engine });
    });
    after(async () => {
      await dp.close();
      await Promise.all([a.close(), b.close()]);
    });

    const first = route('first', {
      match: match({ path: { type: 'PathPrefix', value: '/first' } }),
      backends: [backend('c')],
    });
    const second = route('second', {
      match: match({ path: { type: 'PathPrefix', value: '/second' } }),
      backends: [backend('d')],
    });
    const one = listener(0, [vhost('v', null, [first])], 'http', NAME);
    const two = listener(0, [vhost('v', null, [first, second])], 'http', NAME);
    const port = (): number => dp.listenerAddress(NAME)?.port ?? 0;
    const to = async (path: string) => {
      const reply = await send(port(), path);
      return reply.status === 200 ? (JSON.parse(reply.body) as { backend: string }).backend : reply.status;
    };
    const ir = (listeners: IR['listeners'], clusters: readonly ClusterIR[]): IR => ({ listeners, clusters });

    it('moves traffic to new endpoints while the listener IR stays the same', async () => {
      await dp.apply(ir([one], [cluster('c', [a.port])]));
      assert.equal(await to('/first'), 'a');
      await dp.apply(ir([one], [cluster('c', [b.port])]));
      assert.equal(await to('/first'), 'b');
      assert.equal(await to('/first'), 'b');
      await dp.apply(ir([one], [cluster('c', [])]));
      assert.equal(await to('/first'), 503);
    });

    it('serves a route added to a virtual host next to the kept one', async () => {
      await dp.apply(ir([one], [cluster('c', [a.port]), cluster('d', [b.port])]));
      assert.equal(await to('/second'), 404);
      await dp.apply(ir([two], [cluster('c', [a.port]), cluster('d', [b.port])]));
      assert.equal(await to('/first'), 'a');
      assert.equal(await to('/second'), 'b');
      await dp.apply(ir([one], [cluster('c', [a.port]), cluster('d', [b.port])]));
      assert.equal(await to('/second'), 404);
    });

    it('resolves a cluster again when it goes and comes back', async () => {
      await dp.apply(ir([two], [cluster('c', [a.port]), cluster('d', [b.port])]));
      assert.equal(await to('/second'), 'b');
      await dp.apply(ir([two], [cluster('c', [a.port])]));
      assert.equal(await to('/second'), 500);
      await dp.apply(ir([two], [cluster('c', [a.port]), cluster('d', [a.port])]));
      assert.equal(await to('/second'), 'a');
      assert.deepEqual(dp.warnings(), []);
    });
  });
}
