import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_LIMITS } from '../http/limits.ts';
import { type EchoServer, startEcho } from '../testing/echo.ts';
import { EndpointPools } from '../upstream/pools.ts';
import { MirrorCopy } from './mirror-copy.ts';

describe('MirrorCopy (raw engine request mirrors)', () => {
  let echo: EchoServer;
  let pools: EndpointPools;

  before(async () => {
    echo = await startEcho('m');
    pools = new EndpointPools(DEFAULT_LIMITS);
  });
  after(async () => {
    await pools.close();
    await echo.close();
  });

  const endpoint = () => pools.get('127.0.0.1', echo.port);

  it('sends a bodyless copy with its fields and Host', async () => {
    const seen = echo.nextRequest();
    new MirrorCopy(
      endpoint(),
      { path: '/a?q=1', method: 'GET', headers: ['host', 'h.example', 'x-k', 'v'] },
      false,
      64,
    );
    const r = await seen;
    assert.equal(r.method, 'GET');
    assert.equal(r.url, '/a?q=1');
    assert.equal(r.headers.host, 'h.example');
    assert.equal(r.headers['x-k'], 'v');
  });

  it('holds a body fed before the connection is ready, with its Content-Length', async () => {
    const seen = echo.nextRequest();
    const headers = ['host', 'h', 'content-length', '6'];
    const copy = new MirrorCopy(endpoint(), { path: '/len', method: 'POST', headers }, true, 64);
    copy.feed(Buffer.from('abc'));
    copy.feed(Buffer.from('def'));
    copy.end();
    const r = await seen;
    assert.equal(r.body, 'abcdef');
    assert.equal(r.headers['content-length'], '6');
    assert.equal(r.headers['transfer-encoding'], undefined);
  });

  it('frames a body of unknown length as chunked', async () => {
    const seen = echo.nextRequest();
    const copy = new MirrorCopy(endpoint(), { path: '/chunked', method: 'PUT', headers: ['host', 'h'] }, true, 64);
    copy.feed(Buffer.from('one,'));
    copy.feed(Buffer.from(''));
    copy.feed(Buffer.from('two'));
    copy.end();
    const r = await seen;
    assert.equal(r.body, 'one,two');
    assert.equal(r.headers['transfer-encoding'], 'chunked');
  });

  it('copies each chunk: the caller may reuse its buffer at once', async () => {
    const seen = echo.nextRequest();
    const copy = new MirrorCopy(endpoint(), { path: '/reuse', method: 'POST', headers: ['host', 'h'] }, true, 64);
    const buf = Buffer.from('xxxx');
    copy.feed(buf);
    buf.write('yyyy');
    copy.feed(buf);
    copy.end();
    assert.equal((await seen).body, 'xxxxyyyy');
  });

  it('drops a copy that holds more than its bound, and one whose body is cut; neither reaches the mirror', async () => {
    const fresh = new EndpointPools(DEFAULT_LIMITS); // no idle connection: the copies wait for one
    const ep = fresh.get('127.0.0.1', echo.port);
    const before = echo.seen.length;
    const big = new MirrorCopy(ep, { path: '/big', method: 'POST', headers: ['host', 'h'] }, true, 4);
    big.feed(Buffer.from('0123456789'));
    assert.equal(big.settled, true);
    const cut = new MirrorCopy(ep, { path: '/cut', method: 'POST', headers: ['host', 'h'] }, true, 64);
    cut.feed(Buffer.from('part'));
    cut.destroy();
    assert.equal(cut.settled, true);
    const next = echo.nextRequest();
    new MirrorCopy(ep, { path: '/after', method: 'GET', headers: ['host', 'h'] }, false, 64);
    await next;
    await fresh.close();
    assert.deepEqual(
      echo.seen.slice(before).map((s) => s.url),
      ['/after'],
    );
  });

  it('cuts a copy whose body is cut after it was sent in part', async () => {
    const copy = new MirrorCopy(endpoint(), { path: '/part', method: 'POST', headers: ['host', 'h'] }, true, 64);
    copy.feed(Buffer.from('some'));
    copy.destroy();
    assert.equal(copy.settled, true);
    const next = echo.nextRequest();
    new MirrorCopy(endpoint(), { path: '/whole', method: 'GET', headers: ['host', 'h'] }, false, 64);
    assert.equal((await next).url, '/whole');
  });

  it('reuses the keep-alive connection for the next copy once a response is read', async () => {
    const first = echo.nextRequest();
    const a = new MirrorCopy(endpoint(), { path: '/k1', method: 'GET', headers: ['host', 'h'] }, false, 64);
    await first;
    for (let i = 0; i < 1000 && !a.settled; i++) await new Promise((r) => setImmediate(r));
    assert.equal(a.settled, true);
    const open = endpoint().h1().size;
    const second = echo.nextRequest();
    new MirrorCopy(endpoint(), { path: '/k2', method: 'GET', headers: ['host', 'h'] }, false, 64);
    await second;
    assert.equal(endpoint().h1().size, open);
  });
});
