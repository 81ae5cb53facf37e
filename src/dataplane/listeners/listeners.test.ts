import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { IR } from '../../ir/types.ts';
import { Dataplane } from '../dataplane.ts';
import { echoed, send, sendRaw, sendVia } from '../testing/client.ts';
import { type EchoServer, startEcho } from '../testing/echo.ts';
import { ENGINES } from '../testing/engines.ts';
import { backend, cluster, listener, route, vhost } from '../testing/ir.ts';

/** One catch-all route to `to` on each named port-0 listener. */
function irTo(to: string, names: string[], ports: { a: number; b: number }): IR {
  return {
    clusters: [cluster('a', [ports.a]), cluster('b', [ports.b])],
    listeners: names.map((n) =>
      listener(0, [vhost('v', null, [route(`to-${to}`, { backends: [backend(to)] })])], 'http', n),
    ),
  };
}

for (const engine of ENGINES) {
  describe(`dataplane listeners ({engine})`, () => {
    let a: EchoServer;
    let b: EchoServer;
    let ports: { a: number; b: number };
    before(async () => {
      [a, b] = await Promise.all([startEcho('a'), startEcho('b')]);
      ports = { a: a.port, b: b.port };
    });
    after(async () => {
      await Promise.all([a.close(), b.close()]);
    });

    it('answers malformed traffic with the right 4xx and keeps serving', async () => {
      const dp = new Dataplane({ engine, limits: { maxHeaderCount: 20 } });
      after(() => dp.close());
      await dp.apply(irTo('a', ['L'], ports));
      const port = dp.listenerAddress('L')!.port;
      const status = (raw: string) => raw.split('\r\n')[0];
      assert.equal(status(await sendRaw(port, 'GARBAGE\r\n\r\n')), 'HTTP/1.1 400 Bad Request');
      assert.equal(status(await sendRaw(port, 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n')), 'HTTP/1.1 400 Bad Request');
      assert.equal(status(await sendRaw(port, 'GET / HTTP/1.1\r\n\r\n')), 'HTTP/1.1 400 Bad Request');
      assert.equal(
        status(await sendRaw(port, 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n')),
        'HTTP/1.1 400 Bad Request',
      );
      assert.equal(status(await sendRaw(port, 'GET /%2F HTTP/1.1\r\nHost: a\r\n\r\n')), 'HTTP/1.1 400 Bad Request');
      assert.equal(status(await sendRaw(port, 'GET /a\\b HTTP/1.1\r\nHost: a\r\n\r\n')), 'HTTP/1.1 400 Bad Request');
      const big = `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(17 * 1024)}\r\n\r\n`;
      assert.equal(status(await sendRaw(port, big)), 'HTTP/1.1 431 Request Header Fields Too Large');
      const many = `GET / HTTP/1.1\r\nHost: a\r\n${Array.from({ length: 30 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`;
      assert.equal(status(await sendRaw(port, many)), 'HTTP/1.1 431 Request Header Fields Too Large');
      assert.equal(
        status(await sendRaw(port, 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')),
        'HTTP/1.1 400 Bad Request',
      );
      assert.equal((await send(port, '/')).status, 200);
    });

    it('answers 408 to a client too slow to send its headers', async () => {
      const dp = new Dataplane({
        engine,
        limits: { headersTimeoutMs: 100, requestTimeoutMs: 200, connectionsCheckingIntervalMs: 20 },
      });
      after(() => dp.close());
      await dp.apply(irTo('a', ['L'], ports));
      const raw = await sendRaw(dp.listenerAddress('L')!.port, 'GET / HTTP/1.1\r\nHost: a\r\n');
      assert.equal(raw.split('\r\n')[0], 'HTTP/1.1 408 Request Timeout');
    });

    it('reports bound / kept / errors and keeps the sockets of kept listeners', async () => {
      const blocker = net.createServer();
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
      after(() => blocker.close());
      const busy = (blocker.address() as AddressInfo).port;
      const dp = new Dataplane({ engine });
      after(() => dp.close());

      const first = irTo('a', ['A', 'B'], ports);
      assert.deepEqual(await dp.apply(first), { A: 'bound', B: 'bound' });
      const portA = dp.listenerAddress('A')!.port;
      const portB = dp.listenerAddress('B')!.port;

      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      after(() => agent.destroy());
      assert.equal(echoed(await sendVia(agent, portA, '/')).backend, 'a');
      const [socketA] = Object.values(agent.freeSockets).flat();
      assert.ok(socketA);

      // An idle keep-alive connection to B, which the next apply removes.
      const idle = net.connect(portB, '127.0.0.1');
      idle.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      await once(idle, 'data');
      const idleClosed = once(idle, 'close');

      const second = irTo('b', ['A'], ports);
      const blocked = { ...second, listeners: [...second.listeners, listener(busy, [], 'http', 'C')] };
      const report = await dp.apply(blocked);
      assert.equal(report.A, 'kept');
      assert.match((report.C as { error: string }).error, /EADDRINUSE/);
      assert.equal(report.B, undefined);

      // A kept its port and its client connection; the new table answers on it.
      assert.equal(dp.listenerAddress('A')!.port, portA);
      const viaSame = await sendVia(agent, portA, '/');
      assert.equal(echoed(viaSame).backend, 'b');
      assert.equal(Object.values(agent.freeSockets).flat()[0], socketA, 'same client socket reused');

      // B is gone: its idle connection was closed and it accepts no more.
      await idleClosed;
      await assert.rejects(send(portB, '/'), /ECONNREFUSED/);
    });

    it('swaps tables atomically under load: zero failures, in-flight requests finish on their table', async () => {
      const dp = new Dataplane({ engine });
      after(() => dp.close());
      await dp.apply(irTo('a', ['L'], ports));
      const port = dp.listenerAddress('L')!.port;

      // In flight across a swap: started on "to a", answered by a.
      const arrived = a.nextRequest();
      const slow = send(port, '/__/delay/200');
      await arrived;
      await dp.apply(irTo('b', ['L'], ports));
      assert.equal(echoed(await slow).backend, 'a');

      const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
      after(() => agent.destroy());
      const replies = new EventEmitter();
      const statuses: number[] = [];
      const seen = new Set<string>();
      let stop = false;
      const worker = async () => {
        for (let i = 0; i < 2000 && !stop; i++) {
          const r = await sendVia(agent, port, '/');
          statuses.push(r.status);
          if (r.status === 200) seen.add(echoed(r).backend);
          replies.emit('reply');
        }
      };
      const workers = [worker(), worker(), worker(), worker()];
      for (let i = 0; i < 10; i++) {
        await dp.apply(irTo(i % 2 === 0 ? 'a' : 'b', ['L'], ports));
        for (let k = 0; k < 5; k++) await once(replies, 'reply');
      }
      stop = true;
      await Promise.all(workers);
      assert.ok(statuses.length >= 50);
      assert.deepEqual(
        statuses.filter((s) => s !== 200),
        [],
      );
      assert.deepEqual([...seen].sort(), ['a', 'b']);
    });

    it('aborts the upstream request when the client disconnects, so the pool never drains', {
      timeout: 5000,
    }, async () => {
      const aborted = new EventEmitter();
      const dp = new Dataplane({
        engine,
        limits: { upstreamConnections: 1 },
        observer: { requestDone: (_r, _c, status) => aborted.emit('done', status) },
      });
      after(() => dp.close());
      await dp.apply(irTo('a', ['L'], ports));
      const port = dp.listenerAddress('L')!.port;
      for (let i = 0; i < 3; i++) {
        const done = once(aborted, 'done');
        const req = http.get({ host: '127.0.0.1', port, path: '/__/stream', headers: { host: 'x' }, agent: false });
        req.on('error', () => undefined);
        const [res] = (await once(req, 'response')) as [http.IncomingMessage];
        await once(res, 'data');
        req.destroy();
        assert.deepEqual(await done, [499]);
      }
      // With one upstream connection per endpoint, a leaked one would make this hang.
      assert.equal((await send(port, '/')).status, 200);
    });

    it('closes every listener on close()', async () => {
      const dp = new Dataplane({ engine });
      await dp.apply(irTo('a', ['L'], ports));
      const port = dp.listenerAddress('L')!.port;
      await dp.close();
      await assert.rejects(send(port, '/'), /ECONNREFUSED/);
    });
  });
}
