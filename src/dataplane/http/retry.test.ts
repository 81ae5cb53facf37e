import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { HttpRouteIR, IR } from '../../ir/types.ts';
import { Dataplane } from '../dataplane.ts';
import { send } from '../testing/client.ts';
import { ENGINES } from '../testing/engines.ts';
import { backend, cluster, listener, match, route, vhost } from '../testing/ir.ts';

/**
 * A backend that fails the first `fail` requests of each `key` (query parameters): after `delay` ms it answers
 * `code`, or resets the connection when there is no code; later requests get 200 with the server's name. `partial`
 * starts a 200 response and resets it midway. Every request is recorded with its arrival time and body length.
 */
interface Flaky {
  readonly port: number;
  readonly seen: Seen;
  close(): Promise<void>;
}

type Seen = Map<string, { at: number; server: string; body: number }[]>;

function startFlaky(name: string, seen: Seen): Promise<Flaky> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const key = q.get('key') ?? '';
    const list = seen.get(key) ?? [];
    seen.set(key, list);
    const entry = { at: performance.now(), server: name, body: 0 };
    list.push(entry);
    const nth = list.length;
    req.on('data', (c: Buffer) => {
      entry.body += c.length;
    });
    req.on('end', () => {
      if (q.has('partial')) {
        res.writeHead(200, { 'content-length': '100' });
        res.write('0123456789', () => req.socket.resetAndDestroy());
        return;
      }
      const fail = nth <= Number(q.get('fail') ?? 0);
      const answer = (): void => {
        if (!fail) {
          res.end(`ok from ${name}`);
          return;
        }
        const code = q.get('code');
        if (code === null) req.socket.resetAndDestroy();
        else res.writeHead(Number(code)).end(`failed ${nth}`);
      };
      const delay = Number(q.get('delay') ?? 0);
      if (fail && delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        seen,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const prefix = (value: string) => match({ path: { type: 'PathPrefix', value } });

function routes(): HttpRouteIR[] {
  return [
    route('codes', {
      match: prefix('/codes'),
      backends: [backend('one')],
      retry: { attempts: 2, codes: [500, 502], backoffMs: 5 },
    }),
    route('slowbackoff', {
      match: prefix('/slowbackoff'),
      backends: [backend('one')],
      retry: { attempts: 2, codes: [500], backoffMs: 120 },
    }),
    route('two', {
      match: prefix('/two'),
      backends: [backend('two')],
      retry: { attempts: 1, codes: [], backoffMs: 5 },
    }),
    route('refused', {
      match: prefix('/refused'),
      backends: [backend('refused')],
      retry: { attempts: 3, codes: [], backoffMs: 5 },
    }),
    route('attempt-timeout', {
      match: prefix('/attempt-timeout'),
      backends: [backend('one')],
      retry: { attempts: 2, codes: [], backoffMs: 5 },
      timeouts: { backendRequestMs: 100 },
    }),
    route('request-timeout', {
      match: prefix('/request-timeout'),
      backends: [backend('one')],
      retry: { attempts: 50, codes: [500], backoffMs: 10 },
      timeouts: { requestMs: 250, backendRequestMs: 200 },
    }),
    route('plain', { match: prefix('/plain'), backends: [backend('one')] }),
  ];
}

let keys = 0;
const key = (): string => `k${++keys}`;

for (const engine of ENGINES) {
  describe(`retries over real sockets (${engine})`, () => {
    const seen: Seen = new Map();
    let f1: Flaky;
    let f2: Flaky;
    let dp: Dataplane;
    let port: number;
    const count = (k: string): number => seen.get(k)?.length ?? 0;

    before(async () => {
      [f1, f2] = await Promise.all([startFlaky('f1', seen), startFlaky('f2', seen)]);
      dp = new Dataplane({ engine });
      const ir: IR = {
        clusters: [
          cluster('one', [f1.port]),
          cluster('two', [f1.port, f2.port]),
          cluster('refused', [await closedPort(), f2.port]),
        ],
        listeners: [listener(0, [vhost('v', null, routes())])],
      };
      assert.deepEqual(await dp.apply(ir), { '127.0.0.1:0': 'bound' });
      port = dp.listenerAddress('127.0.0.1:0')!.port;
    });
    after(async () => {
      await dp.close();
      await Promise.all([f1.close(), f2.close()]);
    });

    it('retries a listed status, then answers the success', async () => {
      const k = key();
      const reply = await send(port, `/codes?key=${k}&fail=2&code=500`);
      assert.equal(reply.status, 200);
      assert.equal(reply.body, 'ok from f1');
      assert.equal(count(k), 3);
    });

    it('answers the last response when the attempts are exhausted (attempts counts retries)', async () => {
      const k = key();
      const reply = await send(port, `/codes?key=${k}&fail=9&code=502`);
      assert.equal(reply.status, 502);
      assert.equal(reply.body, 'failed 3');
      assert.equal(count(k), 3);
    });

    it('does not retry a status that is not listed', async () => {
      const k = key();
      assert.equal((await send(port, `/codes?key=${k}&fail=1&code=503`)).status, 503);
      assert.equal(count(k), 1);
    });

    it('retries a connection reset, on the next endpoint of the cluster', async () => {
      const k = key();
      const reply = await send(port, `/two?key=${k}&fail=1`);
      assert.equal(reply.status, 200);
      assert.deepEqual(
        seen
          .get(k)!
          .map((s) => s.server)
          .sort(),
        ['f1', 'f2'],
      );
    });

    it('answers 503 when every attempt is reset', async () => {
      const k = key();
      assert.equal((await send(port, `/codes?key=${k}&fail=9`)).status, 503);
      assert.equal(count(k), 3);
    });

    it('retries a refused connection on another endpoint', async () => {
      const k = key();
      const reply = await send(port, `/refused?key=${k}`);
      assert.equal(reply.status, 200);
      assert.equal(reply.body, 'ok from f2');
      assert.equal(count(k), 1);
    });

    it('does not retry once the response has started', async () => {
      const k = key();
      await assert.rejects(send(port, `/codes?key=${k}&partial=1`));
      assert.equal(count(k), 1);
    });

    it('retries a request with a small body, sending the whole body each time', async () => {
      const k = key();
      const body = 'x'.repeat(40_000);
      const reply = await send(port, `/codes?key=${k}&fail=2&code=500`, { method: 'POST', body });
      assert.equal(reply.status, 200);
      assert.deepEqual(
        seen.get(k)!.map((s) => s.body),
        [40_000, 40_000, 40_000],
      );
    });

    it('does not retry a request whose body is larger than 64 KiB', async () => {
      const k = key();
      const body = 'x'.repeat(64 * 1024 + 1);
      const reply = await send(port, `/codes?key=${k}&fail=1&code=500`, { method: 'POST', body });
      assert.equal(reply.status, 500);
      assert.equal(count(k), 1);
    });

    it('does not retry a chunked request body', async () => {
      const k = key();
      const headers = { 'transfer-encoding': 'chunked' };
      const reply = await send(port, `/codes?key=${k}&fail=1&code=500`, { method: 'POST', body: 'abc', headers });
      assert.equal(reply.status, 500);
      assert.equal(count(k), 1);
    });

    it('does not retry on a route without a policy', async () => {
      const k = key();
      assert.equal((await send(port, `/plain?key=${k}&fail=1&code=500`)).status, 500);
      assert.equal(count(k), 1);
    });

    it('waits the backoff between attempts', async () => {
      const k = key();
      const started = performance.now();
      assert.equal((await send(port, `/slowbackoff?key=${k}&fail=2&code=500`)).status, 200);
      const at = seen.get(k)!.map((s) => s.at);
      assert.equal(at.length, 3);
      assert.ok(at[1]! - at[0]! >= 110, `first gap ${at[1]! - at[0]!}`);
      assert.ok(at[2]! - at[1]! >= 110, `second gap ${at[2]! - at[1]!}`);
      assert.ok(performance.now() - started < 3000);
    });

    it('retries an attempt that outlives backendRequestMs, each attempt getting the whole timeout', async () => {
      const k = key();
      const reply = await send(port, `/attempt-timeout?key=${k}&fail=2&delay=300&code=500`);
      assert.equal(reply.status, 200);
      const at = seen.get(k)!.map((s) => s.at);
      assert.equal(at.length, 3);
      assert.ok(at[1]! - at[0]! >= 95, `first gap ${at[1]! - at[0]!}`);
    });

    it('answers 504 when every attempt times out', async () => {
      const k = key();
      assert.equal((await send(port, `/attempt-timeout?key=${k}&fail=3&delay=300&code=500`)).status, 504);
      assert.equal(count(k), 3);
    });

    it('answers 504 when the request timeout ends the retries', async () => {
      const k = key();
      const started = performance.now();
      assert.equal((await send(port, `/request-timeout?key=${k}&fail=99&delay=60&code=500`)).status, 504);
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= 240 && elapsed < 2000, `elapsed ${elapsed}`);
      assert.ok(count(k) >= 2 && count(k) <= 4, `attempts ${count(k)}`);
    });
  });
}
