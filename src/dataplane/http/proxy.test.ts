import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { HttpRouteIR, IR } from '../../ir/types.ts';
import { Dataplane } from '../dataplane.ts';
import { echoed, send, sendVia } from '../testing/client.ts';
import { type EchoServer, startEcho } from '../testing/echo.ts';
import { ENGINES } from '../testing/engines.ts';
import { backend, cluster, listener, match, route, vhost } from '../testing/ir.ts';

const prefix = (value: string) => match({ path: { type: 'PathPrefix', value } });
const hdrs = (set: [string, string][], add: [string, string][], remove: string[]) => ({
  set: set.map(([name, value]) => ({ name, value })),
  add: add.map(([name, value]) => ({ name, value })),
  remove,
});

function routes(): HttpRouteIR[] {
  return [
    route('plain', { match: prefix('/plain'), backends: [backend('a')] }),
    route('weights', { match: prefix('/weights'), backends: [backend('a', 3), backend('b', 1)] }),
    route('null', { match: prefix('/null'), backends: [backend(null)] }),
    route('nobackends', { match: prefix('/nobackends') }),
    route('zero', { match: prefix('/zero'), backends: [backend('a', 0)] }),
    route('unknown', { match: prefix('/unknown'), backends: [backend('no/such:80')] }),
    route('empty', { match: prefix('/empty'), backends: [backend('empty')] }),
    route('refused', { match: prefix('/refused'), backends: [backend('refused')] }),
    route('behaviours', { match: prefix('/__'), backends: [backend('a')] }),
    route('timeout', {
      match: prefix('/timeout'),
      backends: [backend('a')],
      filters: [{ kind: 'urlRewrite', path: { type: 'full', value: '/__/hang' } }],
      timeouts: { requestMs: 150 },
    }),
    route('backend-timeout', {
      match: prefix('/btimeout'),
      backends: [backend('a')],
      filters: [{ kind: 'urlRewrite', path: { type: 'full', value: '/__/hang' } }],
      timeouts: { backendRequestMs: 150 },
    }),
    route('reqhdr', {
      match: prefix('/reqhdr'),
      backends: [backend('a')],
      filters: [{ kind: 'requestHeaders', ...hdrs([['x-set', 'set']], [['x-add', 'added']], ['x-remove']) }],
    }),
    route('resphdr', {
      match: prefix('/resphdr'),
      backends: [backend('a')],
      filters: [
        { kind: 'responseHeaders', ...hdrs([['x-backend', 'overwritten']], [['x-extra', 'e']], ['content-type']) },
      ],
    }),
    route('redirect', {
      match: prefix('/redirect'),
      filters: [
        {
          kind: 'requestRedirect',
          redirect: {
            scheme: 'https',
            hostname: 'example.org',
            statusCode: 301,
            path: { type: 'prefix', prefix: '/redirect', value: '/moved' },
          },
        },
      ],
    }),
    route('rewrite', {
      match: prefix('/rewrite'),
      backends: [backend('a')],
      filters: [
        {
          kind: 'urlRewrite',
          hostname: 'rewritten.example',
          path: { type: 'prefix', prefix: '/rewrite', value: '/new' },
        },
      ],
    }),
    route('mirror', {
      match: prefix('/mirror'),
      backends: [backend('a')],
      filters: [{ kind: 'requestMirror', cluster: 'c', percent: 100 }],
    }),
    route('nomirror', {
      match: prefix('/nomirror'),
      backends: [backend('a')],
      filters: [{ kind: 'requestMirror', cluster: 'c', percent: 0 }],
    }),
    route('backendfilter', {
      match: prefix('/backendfilter'),
      filters: [{ kind: 'requestHeaders', ...hdrs([['x-rule', 'r']], [], []) }],
      backends: [backend('a', 1, [{ kind: 'requestHeaders', ...hdrs([['x-rule', 'overridden-by-backend']], [], []) }])],
    }),
  ];
}

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

for (const engine of ENGINES) {
  describe(`proxy over real sockets ({engine})`, () => {
    let a: EchoServer;
    let b: EchoServer;
    let c: EchoServer;
    let dp: Dataplane;
    let port: number;
    const done: [string, string, number][] = [];

    before(async () => {
      [a, b, c] = await Promise.all([startEcho('a'), startEcho('b'), startEcho('c')]);
      dp = new Dataplane({ engine, observer: { requestDone: (r, cl, status) => done.push([r, cl, status]) } });
      const ir: IR = {
        clusters: [
          cluster('a', [a.port]),
          cluster('b', [b.port]),
          cluster('c', [c.port]),
          cluster('empty', []),
          cluster('refused', [await closedPort()]),
        ],
        listeners: [listener(0, [vhost('v', null, routes())])],
      };
      assert.deepEqual(await dp.apply(ir), { '127.0.0.1:0': 'bound' });
      port = dp.listenerAddress('127.0.0.1:0')!.port;
    });
    after(async () => {
      await dp.close();
      await Promise.all([a.close(), b.close(), c.close()]);
    });

    it('proxies to the route backend, keeping Host and the target', async () => {
      const reply = await send(port, '/plain/x?y=1', { host: 'Example.com:1234' });
      assert.equal(reply.status, 200);
      const e = echoed(reply);
      assert.equal(e.backend, 'a');
      assert.equal(e.url, '/plain/x?y=1');
      assert.equal(e.headers.host, 'Example.com:1234');
    });

    it('404 when no route matches', async () => {
      assert.equal((await send(port, '/nothing')).status, 404);
    });

    it('500 for an invalid backend, no backends, all-zero weights or an unknown cluster', async () => {
      for (const path of ['/null', '/nobackends', '/zero', '/unknown']) {
        assert.equal((await send(port, path)).status, 500, path);
      }
    });

    it('503 when the cluster has no endpoints', async () => {
      assert.equal((await send(port, '/empty')).status, 503);
    });

    it('502 when the upstream refuses the connection or resets it', async () => {
      assert.equal((await send(port, '/refused')).status, 502);
      assert.equal((await send(port, '/__/reset')).status, 502);
    });

    it('passes upstream statuses through', async () => {
      assert.equal((await send(port, '/__/status/418')).status, 418);
    });

    it('504 when the request timeout or the backend request timeout fires', async () => {
      const started = performance.now();
      assert.equal((await send(port, '/timeout')).status, 504);
      assert.equal((await send(port, '/btimeout')).status, 504);
      assert.ok(performance.now() - started < 5000);
    });

    it('sets forwarding headers and drops client-supplied X-Forwarded-Proto/Host', async () => {
      const e = echoed(
        await send(port, '/plain', {
          host: 'example.com:1234',
          headers: { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil' },
        }),
      );
      assert.equal(e.headers['x-forwarded-for'], '1.2.3.4, 127.0.0.1');
      assert.equal(e.headers['x-forwarded-proto'], 'http');
      assert.equal(e.headers['x-forwarded-host'], 'example.com:1234');
    });

    it('removes hop-by-hop request headers and those named in Connection', async () => {
      const e = echoed(
        await send(port, '/plain', {
          headers: {
            connection: 'close, x-nominated',
            'x-nominated': 'secret',
            'keep-alive': 'timeout=1',
            te: 'trailers',
            'proxy-connection': 'keep-alive',
            'x-kept': 'yes',
          },
        }),
      );
      for (const h of ['x-nominated', 'keep-alive', 'te', 'proxy-connection']) {
        assert.equal(e.headers[h], undefined, h);
      }
      assert.equal(e.headers['x-kept'], 'yes');
    });

    it('removes hop-by-hop response headers and those named in Connection', async () => {
      const reply = await send(port, '/__/hop');
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['x-nominated'], undefined);
      assert.equal(reply.headers['proxy-connection'], undefined);
      assert.equal(reply.headers.upgrade, undefined);
      assert.equal(reply.headers['x-kept'], 'yes');
      assert.equal(reply.body, 'hop');
    });

    it('forwards request bodies (content-length and chunked)', async () => {
      const e = echoed(await send(port, '/plain', { method: 'POST', body: 'hello' }));
      assert.equal(e.body, 'hello');
      const chunked = echoed(
        await send(port, '/plain', { method: 'POST', body: 'chunky', headers: { 'transfer-encoding': 'chunked' } }),
      );
      assert.equal(chunked.body, 'chunky');
    });

    it('normalizes the path before matching and forwards the normalized path', async () => {
      assert.equal(echoed(await send(port, '/x/../plain/./a//b')).url, '/plain/a/b');
      assert.equal(echoed(await send(port, '/x/%2e%2e/plain/%7Eu')).url, '/plain/~u');
      assert.equal((await send(port, '/plain%2Fsecret')).status, 400);
      assert.equal((await send(port, '/nothing/../plain')).status, 200);
    });

    it('requestHeaders filter: set, add, remove', async () => {
      const e = echoed(await send(port, '/reqhdr', { headers: { 'X-Set': 'orig', 'X-Add': 'orig', 'X-Remove': 'x' } }));
      assert.equal(e.headers['x-set'], 'set');
      assert.equal(e.headers['x-add'], 'orig,added');
      assert.equal(e.headers['x-remove'], undefined);
    });

    it('responseHeaders filter: set, add, remove', async () => {
      const reply = await send(port, '/resphdr');
      assert.equal(reply.headers['x-backend'], 'overwritten');
      assert.equal(reply.headers['x-extra'], 'e');
      assert.equal(reply.headers['content-type'], undefined);
    });

    it('backend filters apply after the rule filters', async () => {
      assert.equal(echoed(await send(port, '/backendfilter')).headers['x-rule'], 'overridden-by-backend');
    });

    it('requestRedirect filter', async () => {
      const reply = await send(port, '/redirect/x?q=1');
      assert.equal(reply.status, 301);
      assert.equal(reply.headers.location, 'https://example.org/moved/x?q=1');
    });

    it('urlRewrite filter: Host and path prefix', async () => {
      const e = echoed(await send(port, '/rewrite/x?q=1', { host: 'orig.example' }));
      assert.equal(e.url, '/new/x?q=1');
      assert.equal(e.headers.host, 'rewritten.example');
      assert.equal(e.headers['x-forwarded-host'], 'orig.example');
    });

    it('requestMirror filter: a copy reaches the mirror, the response comes from the backend', async () => {
      const mirrored = c.nextRequest();
      const reply = await send(port, '/mirror/x', { method: 'POST', body: 'copy me' });
      assert.equal(echoed(reply).backend, 'a');
      const copy = await mirrored;
      assert.equal(copy.url, '/mirror/x');
      assert.equal(copy.body, 'copy me');
      const before = c.seen.length;
      await send(port, '/nomirror');
      const next = c.nextRequest();
      await send(port, '/mirror/again');
      await next;
      assert.deepEqual(
        c.seen.slice(before).map((s) => s.url),
        ['/mirror/again'],
        'percent 0 sends nothing',
      );
    });

    it('splits traffic by weight', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      const counts: Record<string, number> = { a: 0, b: 0 };
      const n = 400;
      const replies = await Promise.all(Array.from({ length: n }, () => sendVia(agent, port, '/weights')));
      agent.destroy();
      for (const r of replies) counts[echoed(r).backend]! += 1;
      // 3:1 -> expect a ~= 0.75; with n = 400 the standard deviation is ~0.022, so +-0.1 is > 4 sigma.
      const share = counts.a! / n;
      assert.ok(share > 0.65 && share < 0.85, `share of a: ${share}`);
    });

    it('reports every request to the observer with route and cluster', async () => {
      done.length = 0;
      await send(port, '/plain');
      await send(port, '/nothing');
      await send(port, '/null');
      await send(port, '/empty');
      assert.deepEqual(done, [
        ['plain', 'a', 200],
        ['', '', 404],
        ['null', '', 500],
        ['empty', 'empty', 503],
      ]);
    });
  });
}

for (const engine of ENGINES) {
  describe(`virtual hosts and hostname specificity over the wire ({engine})`, () => {
    let a: EchoServer;
    let b: EchoServer;
    let c: EchoServer;
    let dp: Dataplane;
    let port: number;
    before(async () => {
      [a, b, c] = await Promise.all([startEcho('a'), startEcho('b'), startEcho('c')]);
      dp = new Dataplane({ engine });
      await dp.apply({
        clusters: [cluster('a', [a.port]), cluster('b', [b.port]), cluster('c', [c.port])],
        listeners: [
          listener(0, [
            vhost('exact', 'foo.example.com', [route('exact', { backends: [backend('a')] })]),
            vhost('wild', '*.example.com', [
              route('wild-none', { backends: [backend('c')] }),
              route('wild-bar', { hostnames: ['bar.example.com'], backends: [backend('b')] }),
            ]),
            vhost('any', null, [route('any', { match: prefix('/any'), backends: [backend('c')] })]),
          ]),
        ],
      });
      port = dp.listenerAddress('127.0.0.1:0')!.port;
    });
    after(async () => {
      await dp.close();
      await Promise.all([a.close(), b.close(), c.close()]);
    });

    it('selects the virtual host by Host without port, case-insensitively', async () => {
      assert.equal(echoed(await send(port, '/', { host: 'FOO.Example.com:8080' })).backend, 'a');
      assert.equal(echoed(await send(port, '/any', { host: 'other.org' })).backend, 'c');
    });

    it('inside a virtual host, a route naming the exact Host wins over one without hostnames', async () => {
      assert.equal(echoed(await send(port, '/', { host: 'bar.example.com' })).backend, 'b');
      assert.equal(echoed(await send(port, '/', { host: 'baz.example.com' })).backend, 'c');
    });

    it('listener isolation: a Host selected by a more specific listener never falls through to another', async () => {
      assert.equal(echoed(await send(port, '/any', { host: 'foo.example.com' })).backend, 'a');
      assert.equal((await send(port, '/', { host: 'other.org' })).status, 404);
    });
  });
}
