import assert from 'node:assert/strict';
import { once } from 'node:events';
import http2 from 'node:http2';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { Dataplane } from '../dataplane.ts';
import { type EchoServer, startEcho } from '../testing/echo.ts';
import { backend, cluster, route, vhost } from '../testing/ir.ts';
import {
  connectH2,
  FRAME_HEADERS,
  FRAME_RST_STREAM,
  type Frame,
  frame,
  headerBlock,
  headersFrame,
  httpsListener,
  makeCert,
  RawH2,
  request,
} from './testing.ts';

const LIMIT = { timeout: 10_000 };
const { NGHTTP2_PROTOCOL_ERROR } = http2.constants;

const GET: [string, string][] = [
  [':method', 'GET'],
  [':scheme', 'https'],
  [':path', '/'],
  [':authority', 'example.com'],
];

/** The first HEADERS or RST_STREAM frame of `stream`. */
function answer(raw: RawH2, stream: number): Promise<Frame | null> {
  return raw.waitFor((f) => f.stream === stream && (f.type === FRAME_HEADERS || f.type === FRAME_RST_STREAM));
}

/** An answer is a reset with `code`. */
function assertReset(f: Frame | null, code: number, what: string): void {
  assert.ok(f !== null, `${what}: connection closed`);
  assert.equal(f.type, FRAME_RST_STREAM, `${what}: frame type ${f.type}`);
  assert.equal(f.payload.readUInt32BE(0), code, what);
}

/** An answer is HEADERS with :status 200 (HPACK static table index 8). */
function assertOk(f: Frame | null): void {
  assert.ok(f !== null && f.type === FRAME_HEADERS, 'expected a response head');
  assert.equal(f.payload[0], 0x88);
}

describe('HTTP/2: malformed and hostile requests (raw engine)', () => {
  let echo: EchoServer;
  let dp: Dataplane;
  let port: number;

  before(async () => {
    echo = await startEcho('e');
    dp = new Dataplane({ engine: 'raw' });
    const cert = makeCert('example.com');
    await dp.apply({
      clusters: [cluster('e', [echo.port])],
      listeners: [httpsListener('H2', cert, [vhost('v', null, [route('r', { backends: [backend('e')] })])])],
    });
    port = dp.listenerAddress('H2')!.port;
  });
  after(async () => {
    await dp.close();
    await echo.close();
  });

  it('connection-specific request fields are reset by nghttp2; the session keeps serving', LIMIT, async () => {
    const raw = await RawH2.connect(port);
    after(() => raw.close());
    const bad: [string, string][] = [
      ['connection', 'close'],
      ['keep-alive', 'timeout=5'],
      ['proxy-connection', 'keep-alive'],
      ['transfer-encoding', 'chunked'],
      ['upgrade', 'websocket'],
      ['te', 'gzip'],
    ];
    let id = 1;
    for (const field of bad) {
      raw.send(headersFrame(id, [...GET, field]));
      assertReset(await answer(raw, id), NGHTTP2_PROTOCOL_ERROR, field[0]);
      id += 2;
    }
    raw.send(headersFrame(id, [...GET, ['te', 'trailers']]));
    assertOk(await answer(raw, id));
  });

  it(
    'no field can be smuggled upstream: nghttp2 drops values with CR, LF or NUL, resets upper-case names',
    LIMIT,
    async () => {
      const raw = await RawH2.connect(port);
      after(() => raw.close());
      const arrived = echo.nextRequest();
      raw.send(headersFrame(1, [...GET, ['x-evil', 'a\r\nx-injected: 1'], ['x-nul', 'a\0b'], ['x-fine', 'v']]));
      assertOk(await answer(raw, 1));
      const seen = await arrived;
      assert.equal(seen.headers['x-fine'], 'v');
      for (const name of ['x-evil', 'x-injected', 'x-nul']) assert.equal(seen.headers[name], undefined, name);
      raw.send(headersFrame(3, [...GET, ['X-Upper', 'v']]));
      assertReset(await answer(raw, 3), NGHTTP2_PROTOCOL_ERROR, 'upper-case name');
    },
  );

  it('extended CONNECT (RFC 8441) is not offered: a :protocol request is reset', LIMIT, async () => {
    const raw = await RawH2.connect(port);
    after(() => raw.close());
    raw.send(
      headersFrame(1, [
        [':method', 'CONNECT'],
        [':protocol', 'websocket'],
        [':scheme', 'https'],
        [':path', '/chat'],
        [':authority', 'example.com'],
      ]),
    );
    assertReset(await answer(raw, 1), NGHTTP2_PROTOCOL_ERROR, ':protocol');
  });

  it('a Content-Length the stream does not carry never reaches the upstream', LIMIT, async () => {
    const seen = echo.seen.length;
    const raw = await RawH2.connect(port);
    after(() => raw.close());
    raw.send(headersFrame(1, [...GET, ['content-length', '10']]));
    const f = await answer(raw, 1);
    assert.ok(f !== null);
    if (f.type === FRAME_RST_STREAM) assert.equal(f.payload.readUInt32BE(0), NGHTTP2_PROTOCOL_ERROR);
    else assert.equal(f.payload[0], 0x8c); // 400 (HPACK static index 12)
    raw.send(headersFrame(3, GET));
    assertOk(await answer(raw, 3));
    assert.equal(echo.seen.length, seen + 1);
  });

  it('a header list over maxHeaderBytes is refused; one over maxHeaderCount gets 431', LIMIT, async () => {
    const seen = echo.seen.length;
    const raw = await RawH2.connect(port);
    after(() => raw.close());
    const block = headerBlock([...GET, ['x-a', 'a'.repeat(12_000)], ['x-b', 'b'.repeat(12_000)]]);
    raw.send(
      Buffer.concat([
        frame(FRAME_HEADERS, 0x1, 1, block.subarray(0, 16_000)), // END_STREAM; the header block continues
        frame(9, 0x4, 1, block.subarray(16_000)), // CONTINUATION, END_HEADERS
      ]),
    );
    // node:http2 answers a first stream 431 itself, later ones RST_STREAM ENHANCE_YOUR_CALM: either way, not us.
    const f = await answer(raw, 1);
    assert.ok(f !== null, 'connection closed without an answer');
    if (f.type === FRAME_HEADERS) assert.equal(f.payload.subarray(0, 5).toString('latin1'), '\x48\x03431');
    raw.send(headersFrame(3, GET)); // the session goes on, and the refused request never reached the upstream
    assertOk(await answer(raw, 3));
    assert.equal(echo.seen.length, seen + 1);
    const session = await connectH2(port);
    after(() => session.destroy());
    const many: Record<string, string> = {};
    for (let i = 0; i < 105; i++) many[`x-h${i}`] = 'v';
    const reply = await request(session, { ':authority': 'example.com', ':path': '/', ...many });
    assert.equal(reply.status, 431);
    assert.equal((await request(session, { ':authority': 'example.com', ':path': '/' })).status, 200);
  });

  it('bytes that are not HTTP/2 close the connection; nothing else is affected', LIMIT, async () => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['h2'] });
    socket.on('error', () => undefined);
    await once(socket, 'secureConnect');
    socket.write('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n');
    socket.resume();
    await once(socket, 'close');
    const session = await connectH2(port);
    after(() => session.destroy());
    assert.equal((await request(session, { ':authority': 'example.com', ':path': '/' })).status, 200);
  });
});
