/**
 * HTTP/1.1 message semantics over the wire, for every engine: pipelining, HEAD / 204 / 304, 100-continue, Connection
 * close, HTTP/1.0 clients, close-delimited and interim upstream responses, bad upstream framing, large bodies both
 * ways, a stale upstream keep-alive connection, slow request bodies, and WebSocket upgrades.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Dataplane } from '../dataplane.ts';
import { echoed, exchangeRaw, send } from '../testing/client.ts';
import { type EchoServer, startEcho } from '../testing/echo.ts';
import { ENGINES } from '../testing/engines.ts';
import { backend, cluster, listener, match, route, vhost } from '../testing/ir.ts';
import { type ScriptedServer, startScripted } from '../testing/scripted.ts';

const BIG = 4 * 1024 * 1024;
/** A body whose every byte depends on its position, so that any reordering or overwrite shows. */
const PATTERN = Buffer.from(Array.from({ length: BIG }, (_, i) => (i * 7 + (i >> 12)) % 251));

function chunkedPattern(): Buffer {
  const parts: Buffer[] = [];
  for (let off = 0; off < BIG; off += 100_000) {
    const piece = PATTERN.subarray(off, Math.min(BIG, off + 100_000));
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

const scripts = {
  '/until-close': (s: net.Socket) => s.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nread until close'),
  '/both-framings': (s: net.Socket) =>
    s.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'),
  '/bad-chunk': (s: net.Socket) => s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhelloXX'),
  '/interim': (s: net.Socket) =>
    s.write('HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfinal'),
  '/no-content': (s: net.Socket) => s.write('HTTP/1.1 204 No Content\r\ncontent-length: 7\r\n\r\n'),
  '/not-modified': (s: net.Socket) => s.write('HTTP/1.1 304 Not Modified\r\ncontent-length: 7\r\n\r\n'),
  '/head': (s: net.Socket) => s.write('HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\n'),
  '/fixed': (s: net.Socket) => s.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfixed'),
  '/chunked': (s: net.Socket) =>
    s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n'),
  '/big': (s: net.Socket) => {
    s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${BIG}\r\n\r\n`);
    s.write(PATTERN);
  },
  '/big-chunked': (s: net.Socket) => {
    s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
    s.write(chunkedPattern());
  },
  // A keep-alive connection the server drops when a second request arrives on it (as at its idle timeout).
  '/stale': (s: net.Socket, nth: number) => {
    if (nth > 1) s.destroy();
    else s.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfresh');
  },
};

function get(port: number, path: string, agent: http.Agent | false, method = 'GET'): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: { host: 'x' }, agent }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Reads a body a chunk per event-loop turn, so that the proxy meets backpressure. */
async function slowBody(res: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) {
    chunks.push(c as Buffer);
    await new Promise((r) => setImmediate(r));
  }
  return Buffer.concat(chunks);
}

async function body(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

for (const engine of ENGINES) {
  describe(`HTTP/1.1 semantics (${engine})`, () => {
    let echo: EchoServer;
    let scripted: ScriptedServer;
    let ws: http.Server;
    let dp: Dataplane;
    let port: number;
    before(async () => {
      echo = await startEcho('a');
      scripted = await startScripted(scripts);
      ws = http.createServer((_req, res) => res.end('plain'));
      ws.on('upgrade', (req, socket: net.Socket, rest) => {
        socket.write(
          `HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: ${req.headers.upgrade}\r\n\r\n`,
        );
        if (rest.length > 0) socket.write(rest);
        socket.pipe(socket);
      });
      await new Promise<void>((r) => ws.listen(0, '127.0.0.1', r));
      dp = new Dataplane({
        engine,
        limits: { headersTimeoutMs: 300, requestTimeoutMs: 300, connectionsCheckingIntervalMs: 50 },
      });
      const wsPort = (ws.address() as AddressInfo).port;
      const prefix = (value: string) => match({ path: { type: 'PathPrefix', value } });
      await dp.apply({
        clusters: [cluster('echo', [echo.port]), cluster('scripted', [scripted.port]), cluster('ws', [wsPort])],
        listeners: [
          listener(0, [
            vhost('v', null, [
              route('ws', { match: prefix('/ws'), backends: [backend('ws')] }),
              route('echo', { match: prefix('/echo'), backends: [backend('echo')] }),
              route('scripted', { backends: [backend('scripted')] }),
            ]),
          ]),
        ],
      });
      port = dp.listenerAddress('127.0.0.1:0')!.port;
    });
    after(async () => {
      await dp.close();
      await Promise.all([echo.close(), scripted.close(), new Promise((r) => ws.close(r))]);
    });

    it('answers pipelined requests in order', async () => {
      const req = (p: string) => `GET /echo/${p} HTTP/1.1\r\nHost: x\r\n\r\n`;
      const r = await exchangeRaw(port, req('1') + req('2') + req('3'), 3);
      assert.deepEqual(
        r.responses.map((x) => JSON.parse(x.body).url),
        ['/echo/1', '/echo/2', '/echo/3'],
      );
    });

    it('HEAD, 204 and 304 responses have no body and keep the connection usable', async () => {
      const bytes =
        'HEAD /head HTTP/1.1\r\nHost: x\r\n\r\nGET /no-content HTTP/1.1\r\nHost: x\r\n\r\n' +
        'GET /not-modified HTTP/1.1\r\nHost: x\r\n\r\nGET /chunked HTTP/1.1\r\nHost: x\r\n\r\n';
      const r = await exchangeRaw(port, bytes, 4, [0]);
      assert.deepEqual(
        r.responses.map((x) => [x.status, x.body]),
        [
          [200, ''],
          [204, ''],
          [304, ''],
          [200, 'abcdef'],
        ],
      );
      assert.match(r.responses[0]!.head, /content-length: 7/i);
    });

    it('sends 100 Continue, then forwards the body', async () => {
      const socket = net.connect(port, '127.0.0.1');
      after(() => socket.destroy());
      socket.setEncoding('latin1');
      socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n');
      const [first] = (await once(socket, 'data')) as [string];
      assert.match(first, /^HTTP\/1\.1 100 Continue\r\n\r\n/);
      socket.write('body');
      let data = first;
      while (!data.includes('"body":"body"')) data += ((await once(socket, 'data')) as [string])[0];
    });

    it('honours Connection: close from the client', async () => {
      const r = await exchangeRaw(port, 'GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 2);
      assert.deepEqual(
        r.responses.map((x) => x.status),
        [200],
      );
      assert.match(r.responses[0]!.head, /\r\nconnection: close/i);
      assert.equal(r.closed, true);
    });

    it('answers an HTTP/1.0 client close-delimited when the length is unknown', async () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setEncoding('latin1');
      let data = '';
      socket.on('data', (d: string) => {
        data += d;
      });
      socket.write('GET /chunked HTTP/1.0\r\nHost: x\r\n\r\n');
      await once(socket, 'close');
      const [head, rest] = data.split('\r\n\r\n') as [string, string];
      assert.match(head, /^HTTP\/1\.1 200/);
      assert.doesNotMatch(head, /transfer-encoding/i);
      assert.equal(rest, 'abcdef');
    });

    it('keeps an HTTP/1.0 keep-alive connection open when the length is known', async () => {
      const r = await exchangeRaw(port, 'GET /fixed HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', 1);
      assert.equal(r.responses[0]!.body, 'fixed');
      assert.match(r.responses[0]!.head, /\r\nconnection: keep-alive/i);
      assert.equal(r.closed, false);
    });

    it('forwards a close-delimited upstream body', async () => {
      const res = await get(port, '/until-close', false);
      assert.equal(await body(res), 'read until close');
    });

    it('skips interim responses', async () => {
      const res = await get(port, '/interim', false);
      assert.equal(res.statusCode, 200);
      assert.equal(await body(res), 'final');
    });

    it('answers 502 to a response with both Content-Length and chunked coding', async () => {
      assert.equal((await send(port, '/both-framings')).status, 502);
    });

    it('cuts the client connection when the upstream breaks its framing mid-body', async () => {
      const res = await get(port, '/bad-chunk', false);
      await assert.rejects(body(res), /aborted|ECONNRESET/);
    });

    it('streams large bodies both ways, intact under backpressure', async () => {
      for (const path of ['/big', '/big-chunked']) {
        const received = await slowBody(await get(port, path, false));
        assert.equal(received.length, BIG, path);
        assert.ok(received.equals(PATTERN), `${path}: body bytes differ`);
      }
      const upload = 'u'.repeat(BIG);
      assert.equal(echoed(await send(port, '/echo', { method: 'POST', body: upload })).body.length, BIG);
    });

    const noRetry = engine === 'node' && 'undici does not retry a request whose reused connection was closed under it';
    it('retries once when a reused upstream connection was closed under the request', { skip: noRetry }, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      after(() => agent.destroy());
      const first = await get(port, '/stale', agent);
      assert.equal(await body(first), 'fresh');
      const second = await get(port, '/stale', agent);
      assert.equal(second.statusCode, 200);
      assert.equal(await body(second), 'fresh');
    });

    it('answers 408 when the request body is too slow', async () => {
      const r = await exchangeRaw(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab', 2);
      assert.deepEqual(
        r.responses.map((x) => x.status),
        [408],
      );
      assert.equal(r.closed, true);
    });

    it('passes WebSocket upgrades through as a tunnel', {
      skip: engine === 'node' && 'the node engine does not proxy upgrades',
    }, async () => {
      const socket = net.connect(port, '127.0.0.1');
      after(() => socket.destroy());
      socket.setEncoding('latin1');
      socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nearly');
      let data = '';
      while (!data.includes('early')) data += ((await once(socket, 'data')) as [string])[0];
      assert.match(data, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
      assert.match(data, /\r\nupgrade: websocket\r\n/i);
      socket.write('ping');
      data = '';
      while (!data.includes('ping')) data += ((await once(socket, 'data')) as [string])[0];
    });
  });
}
