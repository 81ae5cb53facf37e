import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ClientHttp2Session } from 'node:http2';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import type { IR, TlsCertificateIR } from '../../ir/types.ts';
import { Dataplane } from '../dataplane.ts';
import { type EchoServer, startEcho } from '../testing/echo.ts';
import { backend, cluster, match, route, vhost } from '../testing/ir.ts';
import { type ScriptedServer, startScripted } from '../testing/scripted.ts';
import { connectH2, echoedBody, httpsListener, makeCert, request } from './testing.ts';

/** A deterministic body of `n` bytes. */
function pattern(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

const MIB = 1024 * 1024;

describe('HTTP/2 on HTTPS listeners (raw engine)', () => {
  let cert: TlsCertificateIR;
  let a: EchoServer;
  let b: EchoServer;
  let mirror: EchoServer;
  let scripted: ScriptedServer;
  let flaky = 0;
  let dp: Dataplane;
  let port: number;
  let session: ClientHttp2Session;

  before(async () => {
    cert = makeCert('example.com');
    [a, b, mirror] = await Promise.all([startEcho('a'), startEcho('b'), startEcho('mirror')]);
    const big = pattern(MIB).toString('latin1');
    scripted = await startScripted({
      '/hop': (s) =>
        s.write(
          'HTTP/1.1 200 OK\r\nconnection: keep-alive, x-nominated\r\nkeep-alive: timeout=5\r\nx-nominated: 1\r\n' +
            'proxy-connection: keep-alive\r\nupgrade: h2c\r\nte: trailers\r\nx-kept: yes\r\n' +
            'transfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
        ),
      '/big': (s) => s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${MIB}\r\n\r\n${big}`, 'latin1'),
      '/big-chunked': (s) => {
        s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
        for (let off = 0; off < MIB; off += 100_000) {
          const part = big.slice(off, off + 100_000);
          s.write(`${part.length.toString(16)}\r\n${part}\r\n`, 'latin1');
        }
        s.write('0\r\n\r\n');
      },
      '/dup': (s) =>
        s.write(
          'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-type: text/html\r\nset-cookie: a=1\r\n' +
            'set-cookie: b=2\r\ncontent-length: 2\r\n\r\nok',
        ),
      '/nocontent': (s) => s.write('HTTP/1.1 204 No Content\r\nx-empty: yes\r\n\r\n'),
      '/flaky': (s) => {
        flaky++;
        s.write(
          flaky === 1
            ? 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n'
            : 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok',
        );
      },
    });
    dp = new Dataplane({ engine: 'raw' });
    const ir: IR = {
      clusters: [
        cluster('a', [a.port]),
        cluster('b', [b.port]),
        cluster('m', [mirror.port]),
        cluster('s', [scripted.port]),
      ],
      listeners: [
        httpsListener('H2', cert, [
          vhost('va', 'a.example.com', [
            route('redirect', {
              match: match({ path: { type: 'PathPrefix', value: '/redirect' } }),
              filters: [{ kind: 'requestRedirect', redirect: { hostname: 'elsewhere.example', statusCode: 302 } }],
            }),
            route('resp-headers', {
              match: match({ path: { type: 'PathPrefix', value: '/rh' } }),
              filters: [
                { kind: 'responseHeaders', set: [{ name: 'x-set', value: 'yes' }], add: [], remove: ['x-backend'] },
              ],
              backends: [backend('a')],
            }),
            route('mirrored', {
              match: match({ path: { type: 'PathPrefix', value: '/mirrored' } }),
              filters: [{ kind: 'requestMirror', cluster: 'm', percent: 100 }],
              backends: [backend('a')],
            }),
            route('to-a', { backends: [backend('a')] }),
          ]),
          vhost('vb', 'b.example.com', [route('to-b', { backends: [backend('b')] })]),
          vhost('vs', 's.example.com', [
            route('retried', {
              match: match({ path: { type: 'Exact', value: '/flaky' } }),
              retry: { attempts: 2, codes: [503], backoffMs: 1 },
              backends: [backend('s')],
            }),
            route('to-s', { backends: [backend('s')] }),
          ]),
        ]),
      ],
    };
    assert.deepEqual(await dp.apply(ir), { H2: 'bound' });
    port = dp.listenerAddress('H2')!.port;
    session = await connectH2(port);
  });
  after(async () => {
    session.destroy();
    await dp.close();
    await Promise.all([a.close(), b.close(), mirror.close(), scripted.close()]);
  });

  const get = (authority: string, path: string, extra: Record<string, string | string[]> = {}) =>
    request(session, { ':method': 'GET', ':authority': authority, ':path': path, ...extra });

  it('negotiates h2 and proxies a GET: Host from :authority, no pseudo-headers, cookies joined, Date', async () => {
    assert.equal(session.alpnProtocol, 'h2');
    const reply = await get('a.example.com', '/x?y=1', { cookie: ['c=1', 'd=2'] });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-backend'], 'a');
    assert.match(String(reply.headers.date), /GMT$/);
    const e = echoedBody(reply);
    assert.equal(e.backend, 'a');
    assert.equal(e.method, 'GET');
    assert.equal(e.url, '/x?y=1');
    assert.equal(e.headers.host, 'a.example.com');
    assert.equal(e.headers.cookie, 'c=1; d=2');
    assert.equal(e.headers['x-forwarded-proto'], 'https');
    assert.equal(e.headers['x-forwarded-host'], 'a.example.com');
    assert.deepEqual(
      Object.keys(e.headers).filter((k) => k.startsWith(':')),
      [],
    );
  });

  it('routes by :authority (two hosts, two backends); a Host field must agree with it', async () => {
    assert.equal(echoedBody(await get('b.example.com', '/')).backend, 'b');
    assert.equal(echoedBody(await get('a.example.com', '/')).backend, 'a');
    assert.equal(echoedBody(await get('B.Example.com:443', '/')).backend, 'b');
    assert.equal(echoedBody(await get('a.example.com', '/', { host: 'a.example.com' })).backend, 'a');
    const bad = await get('a.example.com', '/', { host: 'b.example.com' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.toString(), '400 Bad Request\n');
  });

  it('forwards a POST body with its Content-Length, and one without as chunked', async () => {
    const sized = await request(
      session,
      { ':method': 'POST', ':authority': 'a.example.com', ':path': '/p', 'content-length': '5' },
      'hello',
    );
    const e1 = echoedBody(sized);
    assert.equal(e1.body, 'hello');
    assert.equal(e1.headers['content-length'], '5');
    assert.equal(e1.headers['transfer-encoding'], undefined);
    const streamed = await request(session, { ':method': 'POST', ':authority': 'a.example.com', ':path': '/p' }, [
      'part one, ',
      'part two',
    ]);
    const e2 = echoedBody(streamed);
    assert.equal(e2.body, 'part one, part two');
    assert.equal(e2.headers['transfer-encoding'], 'chunked');
    assert.equal(e2.headers['content-length'], undefined);
  });

  it('ends bodyless responses with their head: HEAD and 204', async () => {
    const head = await request(session, { ':method': 'HEAD', ':authority': 'a.example.com', ':path': '/h' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['x-backend'], 'a');
    assert.equal(head.body.length, 0);
    const empty = await get('s.example.com', '/nocontent');
    assert.equal(empty.status, 204);
    assert.equal(empty.headers['x-empty'], 'yes');
    assert.equal(empty.body.length, 0);
  });

  it('answers Expect: 100-continue with a 100 head when the body is wanted', { timeout: 5000 }, async () => {
    const req = session.request({
      ':method': 'POST',
      ':authority': 'a.example.com',
      ':path': '/e',
      expect: '100-continue',
      'content-length': '4',
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    await once(req, 'continue');
    req.end('body');
    await once(req, 'end');
    const e = JSON.parse(Buffer.concat(chunks).toString());
    assert.equal(e.body, 'body');
    assert.equal(e.headers.expect, undefined);
  });

  it('delivers a 1 MiB response whole, with Content-Length and chunked upstream', { timeout: 5000 }, async () => {
    const expected = pattern(MIB);
    const sized = await get('s.example.com', '/big');
    assert.equal(sized.status, 200);
    assert.equal(sized.headers['content-length'], String(MIB));
    assert.ok(sized.body.equals(expected));
    const chunked = await get('s.example.com', '/big-chunked');
    assert.equal(chunked.headers['transfer-encoding'], undefined);
    assert.ok(chunked.body.equals(expected));
    // The upstream connection, paused while the client stream was full, is reused for the next request.
    assert.equal((await get('s.example.com', '/nocontent')).status, 204);
  });

  it('answers 404 when no route matches, with the HTTP/1.1 side text body', async () => {
    const reply = await get('nowhere.example.org', '/');
    assert.equal(reply.status, 404);
    assert.equal(reply.headers['content-length'], '14');
    assert.equal(reply.body.toString(), '404 Not Found\n');
  });

  it('answers a RequestRedirect filter', async () => {
    const reply = await get('a.example.com', '/redirect/x?q=1');
    assert.equal(reply.status, 302);
    assert.equal(reply.headers.location, `https://elsewhere.example:${port}/redirect/x?q=1`);
    assert.equal(reply.body.length, 0);
  });

  it('applies a ResponseHeaderModifier filter', async () => {
    const reply = await get('a.example.com', '/rh');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-set'], 'yes');
    assert.equal(reply.headers['x-backend'], undefined);
  });

  it('drops connection-specific upstream fields (and those Connection nominates)', async () => {
    const reply = await get('s.example.com', '/hop');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.toString(), 'hello');
    assert.equal(reply.headers['x-kept'], 'yes');
    for (const name of ['connection', 'keep-alive', 'x-nominated', 'proxy-connection', 'upgrade', 'te']) {
      assert.equal(reply.headers[name], undefined, name);
    }
    assert.equal(reply.headers['transfer-encoding'], undefined);
  });

  it('sends repeated single-value fields once (joined), Set-Cookie as separate fields', async () => {
    const reply = await get('s.example.com', '/dup');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/plain, text/html');
    assert.deepEqual(reply.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(reply.body.toString(), 'ok');
  });

  it('serves 20 concurrent streams on one session', async () => {
    const before = a.seen.length;
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => get('a.example.com', `/c/${i}`)));
    assert.deepEqual(
      replies.map((r) => echoedBody(r).url),
      Array.from({ length: 20 }, (_, i) => `/c/${i}`),
    );
    assert.equal(a.seen.length - before, 20);
  });

  it('retries a retriable status with the request body kept', async () => {
    flaky = 0;
    const reply = await request(
      session,
      { ':method': 'POST', ':authority': 's.example.com', ':path': '/flaky', 'content-length': '3' },
      'abc',
    );
    assert.equal(reply.status, 200);
    assert.equal(flaky, 2);
  });

  it('copies the request and its body to a RequestMirror', async () => {
    const copied = mirror.nextRequest();
    const reply = await request(
      session,
      { ':method': 'POST', ':authority': 'a.example.com', ':path': '/mirrored' },
      'mirror me',
    );
    assert.equal(echoedBody(reply).body, 'mirror me');
    const copy = await copied;
    assert.equal(copy.url, '/mirrored');
    assert.equal(copy.body, 'mirror me');
  });

  it('answers CONNECT with 501 (tunnels are not offered)', async () => {
    const reply = await request(session, { ':method': 'CONNECT', ':authority': 'a.example.com:443' });
    assert.equal(reply.status, 501);
    assert.equal(reply.body.toString(), '501 Not Implemented\n');
  });

  it('still serves HTTP/1.1 clients (ALPN http/1.1 and no ALPN) on the same listener', async () => {
    for (const alpn of [['http/1.1'], undefined]) {
      const reply = await new Promise<{ status: number; body: string; alpn: string | false | null }>(
        (resolve, reject) => {
          const req = https.request(
            {
              host: '127.0.0.1',
              port,
              path: '/h1',
              headers: { host: 'b.example.com' },
              rejectUnauthorized: false,
              agent: false,
              ...(alpn === undefined ? {} : { ALPNProtocols: alpn }),
            },
            (res) => {
              let body = '';
              res.on('data', (c: Buffer) => {
                body += c;
              });
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, body, alpn: (res.socket as TLSSocket).alpnProtocol }),
              );
            },
          );
          req.on('error', reject);
          req.end();
        },
      );
      assert.equal(reply.status, 200);
      assert.equal(reply.alpn, alpn === undefined ? false : 'http/1.1');
      assert.equal(JSON.parse(reply.body).backend, 'b');
    }
  });
});
