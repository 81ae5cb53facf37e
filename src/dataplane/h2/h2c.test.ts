/**
 * HTTP/2 with prior knowledge on a cleartext listener (h2c, RFC 9113 3.3): a connection whose first bytes are the
 * client preface becomes an h2 session; HTTP/1.1 connections to the same listener are served as before.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Dataplane } from '../dataplane.ts';
import { type EchoServer, startEcho } from '../testing/echo.ts';
import { backend, cluster, listener, route, vhost } from '../testing/ir.ts';
import { echoedBody, request } from './testing.ts';

describe('HTTP/2 with prior knowledge (h2c) on HTTP listeners', () => {
  let a: EchoServer;
  let dp: Dataplane;
  let port: number;

  before(async () => {
    a = await startEcho('a');
    dp = new Dataplane({ engine: 'raw' });
    const ir = {
      clusters: [cluster('a', [a.port])],
      listeners: [
        listener(0, [vhost('va', 'a.example.com', [route('to-a', { backends: [backend('a')] })])], 'http', 'L'),
      ],
    };
    assert.deepEqual(await dp.apply(ir), { L: 'bound' });
    port = dp.listenerAddress('L')!.port;
  });
  after(async () => {
    await dp.close();
    await a.close();
  });

  it('serves an h2c client: routed by :authority, X-Forwarded-Proto http, several streams on one connection', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    try {
      const replies = await Promise.all(
        [1, 2, 3].map((i) =>
          request(session, { ':method': 'POST', ':authority': 'a.example.com', ':path': `/h2c/${i}` }, `body-${i}`),
        ),
      );
      for (const [i, reply] of replies.entries()) {
        assert.equal(reply.status, 200);
        const e = echoedBody(reply);
        assert.equal(e.backend, 'a');
        assert.equal(e.url, `/h2c/${i + 1}`);
        assert.equal(e.headers.host, 'a.example.com');
        assert.equal(e.headers['x-forwarded-proto'], 'http');
      }
      const missing = await request(session, { ':method': 'GET', ':authority': 'other.example', ':path': '/' });
      assert.equal(missing.status, 404);
    } finally {
      session.destroy();
    }
  });

  it('still serves HTTP/1.1 on the same listener', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/h1', headers: { host: 'a.example.com' }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    assert.equal(status, 200);
  });

  it('closes a connection that sends the preface and then garbage, and keeps serving', async () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nthis is not a SETTINGS frame at all........');
    socket.resume();
    await once(socket, 'close');
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    try {
      const reply = await request(session, { ':method': 'GET', ':authority': 'a.example.com', ':path': '/after' });
      assert.equal(reply.status, 200);
    } finally {
      session.destroy();
    }
  });
});
