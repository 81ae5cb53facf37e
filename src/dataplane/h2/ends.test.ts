import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { IR, TlsCertificateIR } from '../../ir/types.ts';
import { Dataplane } from '../dataplane.ts';
import type { HttpLimits } from '../http/limits.ts';
import type { DataplaneObserver } from '../observer.ts';
import { type EchoServer, startEcho } from '../testing/echo.ts';
import { backend, cluster, match, route, vhost } from '../testing/ir.ts';
import { connectH2, httpsListener, makeCert, request } from './testing.ts';

/** A test that hangs has failed. */
const LIMIT = { timeout: 10_000 };

/** Total a /flood response would send: far more than socket buffers and flow-control windows hold. */
const FLOOD = 64 * 1024 * 1024;

interface Controlled {
  readonly port: number;
  /** Emits 'closed' (url) when a request's response closes, 'flood' when /flood has sent everything. */
  readonly events: EventEmitter;
  flood: { sent: number; progress: number; finished: boolean };
  close(): Promise<void>;
}

/**
 * A backend whose responses the tests steer: /stream (never ends), /head-then-hang, /head-then-reset, /flood (honours
 * backpressure).
 */
function startControlled(): Promise<Controlled> {
  const events = new EventEmitter();
  const state: Controlled['flood'] = { sent: 0, progress: 0, finished: false };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    res.on('close', () => events.emit('closed', url));
    req.resume();
    if (url === '/stream' || url === '/head-then-hang' || url === '/head-then-reset') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first');
      if (url === '/head-then-reset') setTimeout(() => req.socket.destroy(), 20);
      if (url !== '/stream') return;
      const timer = setInterval(() => res.write('x'.repeat(1024)), 5);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (url === '/flood') {
      res.writeHead(200, { 'content-length': String(FLOOD) });
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = (): void => {
        while (state.sent < FLOOD) {
          state.sent += chunk.length;
          state.progress = performance.now();
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
        state.finished = true;
        events.emit('flood');
      };
      pump();
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        events,
        flood: state,
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      }),
    );
  });
}

interface Report {
  readonly route: string;
  readonly status: number;
}

function recorder(): DataplaneObserver & { reports: Report[] } {
  const reports: Report[] = [];
  return { reports, requestDone: (route, _cluster, status) => reports.push({ route, status }) };
}

/** Resolves with the stream's RST_STREAM code once it closes. */
function closeCode(stream: http2.ClientHttp2Stream): Promise<number> {
  return new Promise((resolve) => stream.on('close', () => resolve(stream.rstCode ?? -1)));
}

describe('HTTP/2 stream and session ends (raw engine)', () => {
  let cert: TlsCertificateIR;
  let echo: EchoServer;
  let ctl: Controlled;

  before(async () => {
    cert = makeCert('example.com');
    [echo, ctl] = await Promise.all([startEcho('e'), startControlled()]);
  });
  after(async () => {
    await Promise.all([echo.close(), ctl.close()]);
  });

  async function gateway(
    limits: Partial<HttpLimits> = {},
  ): Promise<{ dp: Dataplane; port: number; observer: ReturnType<typeof recorder> }> {
    const observer = recorder();
    const dp = new Dataplane({ engine: 'raw', observer, limits });
    after(() => dp.close());
    const ir: IR = {
      clusters: [cluster('e', [echo.port]), cluster('c', [ctl.port])],
      listeners: [
        httpsListener('H2', cert, [
          vhost('v', 'example.com', [
            route('timed', {
              match: match({ path: { type: 'PathPrefix', value: '/__/hang' } }),
              timeouts: { requestMs: 100 },
              backends: [backend('e')],
            }),
            route('timed-ctl', {
              match: match({ path: { type: 'Exact', value: '/head-then-hang' } }),
              timeouts: { requestMs: 100 },
              backends: [backend('c')],
            }),
            route('ctl', { match: match({ path: { type: 'PathPrefix', value: '/' } }), backends: [backend('c')] }),
          ]),
          vhost('ve', 'echo.example.com', [route('echo', { backends: [backend('e')] })]),
        ]),
      ],
    };
    await dp.apply(ir);
    return { dp, port: dp.listenerAddress('H2')!.port, observer };
  }

  it('a client RST_STREAM mid-response aborts the upstream request and reports 499 once', LIMIT, async () => {
    const { port, observer } = await gateway();
    const session = await connectH2(port);
    after(() => session.destroy());
    const req = session.request({ ':authority': 'example.com', ':path': '/stream' });
    req.on('error', () => undefined);
    await once(req, 'data');
    const upstreamClosed = once(ctl.events, 'closed');
    req.close(http2.constants.NGHTTP2_CANCEL);
    assert.deepEqual(await upstreamClosed, ['/stream']);
    assert.deepEqual(observer.reports, [{ route: 'ctl', status: 499 }]);
    // the session is still usable
    assert.equal((await request(session, { ':authority': 'echo.example.com', ':path': '/' })).status, 200);
  });

  it('answers 504 when the route timeout fires before the response head', LIMIT, async () => {
    const { port, observer } = await gateway();
    const session = await connectH2(port);
    after(() => session.destroy());
    const reply = await request(session, { ':authority': 'example.com', ':path': '/__/hang' });
    assert.equal(reply.status, 504);
    assert.equal(reply.body.toString(), '504 Gateway Timeout\n');
    assert.deepEqual(observer.reports, [{ route: 'timed', status: 504 }]);
  });

  it('resets the stream (INTERNAL_ERROR) when the route timeout fires after the head', LIMIT, async () => {
    const { port, observer } = await gateway();
    const session = await connectH2(port);
    after(() => session.destroy());
    const req = session.request({ ':authority': 'example.com', ':path': '/head-then-hang' });
    req.on('error', () => undefined);
    const [head] = (await once(req, 'response')) as [http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader];
    assert.equal(head[':status'], 200);
    req.resume();
    assert.equal(await closeCode(req), http2.constants.NGHTTP2_INTERNAL_ERROR);
    assert.deepEqual(observer.reports, [{ route: 'timed-ctl', status: 504 }]);
  });

  it('resets the stream (INTERNAL_ERROR) when the upstream fails after the head, reporting 502', LIMIT, async () => {
    const { port, observer } = await gateway();
    const session = await connectH2(port);
    after(() => session.destroy());
    const req = session.request({ ':authority': 'example.com', ':path': '/head-then-reset' });
    req.on('error', () => undefined);
    await once(req, 'response');
    req.resume();
    assert.equal(await closeCode(req), http2.constants.NGHTTP2_INTERNAL_ERROR);
    assert.deepEqual(observer.reports, [{ route: 'ctl', status: 502 }]);
  });

  it(
    'holds the upstream back while the client does not read (backpressure), then lets go on reset',
    LIMIT,
    async () => {
      const { port } = await gateway();
      const session = await connectH2(port);
      after(() => session.destroy());
      ctl.flood.sent = 0;
      ctl.flood.finished = false;
      const req = session.request({ ':authority': 'example.com', ':path': '/flood' });
      req.on('error', () => undefined);
      await once(req, 'response');
      req.pause();
      // Wait until the backend has sent everything, or has been unable to send for a while.
      const outcome = await new Promise<string>((resolve) => {
        const timer = setInterval(() => {
          if (ctl.flood.finished) resolve('finished');
          else if (performance.now() - ctl.flood.progress > 250) resolve('stalled');
          else return;
          clearInterval(timer);
        }, 25);
      });
      assert.equal(outcome, 'stalled');
      assert.ok(ctl.flood.sent < FLOOD / 4, `sent ${ctl.flood.sent}`);
      const upstreamClosed = once(ctl.events, 'closed');
      req.close(http2.constants.NGHTTP2_CANCEL);
      assert.deepEqual(await upstreamClosed, ['/flood']);
    },
  );

  it('answers 408 to a request body that does not arrive within requestTimeoutMs', LIMIT, async () => {
    const { port, observer } = await gateway({ requestTimeoutMs: 150, connectionsCheckingIntervalMs: 20 });
    const session = await connectH2(port);
    after(() => session.destroy());
    const req = session.request({ ':method': 'POST', ':authority': 'echo.example.com', ':path': '/slow' });
    req.on('error', () => undefined);
    req.write('partial');
    const [head] = (await once(req, 'response')) as [http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader];
    assert.equal(head[':status'], 408);
    req.resume();
    await once(req, 'close');
    assert.deepEqual(observer.reports, [{ route: 'echo', status: 408 }]);
  });

  it('closes a session left without streams for keepAliveTimeoutMs (GOAWAY)', LIMIT, async () => {
    const { port } = await gateway({ keepAliveTimeoutMs: 100, connectionsCheckingIntervalMs: 20 });
    const session = await connectH2(port);
    after(() => session.destroy());
    const goaway = once(session, 'goaway');
    assert.equal((await request(session, { ':authority': 'echo.example.com', ':path': '/' })).status, 200);
    const [code] = (await goaway) as [number];
    assert.equal(code, http2.constants.NGHTTP2_NO_ERROR);
    if (!session.closed) await once(session, 'close');
  });

  it('on listener removal sends GOAWAY, and the stream in flight still completes', LIMIT, async () => {
    const { dp, port } = await gateway();
    const session = await connectH2(port);
    after(() => session.destroy());
    const arrived = echo.nextRequest();
    const pending = request(session, { ':authority': 'echo.example.com', ':path': '/__/delay/200' });
    await arrived;
    let answered = false;
    void pending.then(() => {
      answered = true;
    });
    const goaway = once(session, 'goaway');
    const removed = dp.apply({ clusters: [], listeners: [] });
    await goaway;
    assert.equal(answered, false, 'GOAWAY comes at once, not after the stream in flight');
    const reply = await pending;
    assert.equal(reply.status, 200);
    assert.equal(JSON.parse(reply.body.toString()).url, '/__/delay/200');
    await removed;
    if (!session.closed) await once(session, 'close');
  });
});
