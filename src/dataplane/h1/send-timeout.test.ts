/**
 * sendTimeoutMs (raw engine, HTTP/1.1): a client that stops taking a response is cut once nothing of it has left for
 * the timeout, and the upstream connection paused behind it is let go; a slow client that keeps reading is not.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net, { type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Dataplane } from '../dataplane.ts';
import { backend, cluster, listener, route, vhost } from '../testing/ir.ts';
import { type ScriptedServer, startScripted } from '../testing/scripted.ts';

const MIB = 1024 * 1024;

describe('client send timeout (raw engine)', () => {
  let scripted: ScriptedServer;
  let dp: Dataplane;
  let port: number;
  const upstreamClosed: Promise<unknown>[] = [];

  before(async () => {
    const body = (n: number) => Buffer.alloc(n, 'x');
    scripted = await startScripted({
      '/huge': (s: Socket) => {
        upstreamClosed.push(new Promise((resolve) => s.once('close', resolve))); // reset, most likely
        s.on('error', () => undefined);
        s.write(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${64 * MIB}\r\n\r\n`), body(64 * MIB)]));
      },
      '/medium': (s: Socket) =>
        s.write(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${8 * MIB}\r\n\r\n`), body(8 * MIB)])),
    });
    dp = new Dataplane({ engine: 'raw', limits: { sendTimeoutMs: 400, connectionsCheckingIntervalMs: 50 } });
    const ir = {
      clusters: [cluster('s', [scripted.port])],
      listeners: [listener(0, [vhost('v', null, [route('to-s', { backends: [backend('s')] })])], 'http', 'L')],
    };
    assert.deepEqual(await dp.apply(ir), { L: 'bound' });
    port = dp.listenerAddress('L')!.port;
  });
  after(async () => {
    await dp.close();
    await scripted.close();
  });

  async function ask(path: string): Promise<Socket> {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`);
    return socket;
  }

  it('cuts a client that stops reading, and lets the upstream go', { timeout: 10_000 }, async () => {
    const socket = await ask('/huge');
    socket.pause(); // takes nothing: the kernel buffers fill, then the proxy's write buffer
    const started = performance.now();
    while (upstreamClosed.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await upstreamClosed[0]; // the proxy let go of the upstream connection paused behind the client
    const took = performance.now() - started;
    assert.ok(took >= 400, `not before the timeout (${took.toFixed(0)} ms)`);
    assert.ok(took < 5000, `cut within a few sweeps of the timeout (${took.toFixed(0)} ms)`);
    // The client, reading again, gets what its buffers held, then the end: the response was cut short.
    let received = 0;
    socket.on('data', (c: Buffer) => {
      received += c.length;
    });
    const closed = new Promise((resolve) => socket.once('close', resolve)); // after a reset, most likely
    socket.resume();
    await closed;
    assert.ok(received < 64 * MIB, `a truncated response (${received} bytes)`);
  });

  it('keeps serving a slow client that keeps reading', { timeout: 30_000 }, async () => {
    const socket = await ask('/medium');
    socket.pause();
    let received = 0;
    socket.on('data', (c: Buffer) => {
      received += c.length;
    });
    // Reads in short bursts every 150 ms (under the 400 ms timeout), so its writes keep completing.
    const timer = setInterval(() => {
      socket.resume();
      setTimeout(() => socket.pause(), 3);
    }, 150);
    try {
      const deadline = Date.now() + 20_000;
      while (received < 8 * MIB && !socket.destroyed && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      clearInterval(timer);
      socket.destroy();
    }
    assert.ok(received > 8 * MIB, `the whole response arrived (${received} bytes)`);
  });
});
