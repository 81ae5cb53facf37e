import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import net, { type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ResponseErrorCode } from '../errors.ts';
import { DEFAULT_LIMITS } from '../http/limits.ts';
import type { ResponseHead } from './parser.ts';
import { H1Pool } from './pool.ts';
import { Sweeper } from './sweeper.ts';
import type { UpstreamConnection, UpstreamHandler } from './upstream.ts';

/** Records what an upstream connection delivers; `keep` decides whether each body chunk is kept (a queued write). */
class Recorder extends EventEmitter implements UpstreamHandler {
  readonly chunks: Buffer[] = [];
  conn: UpstreamConnection | null = null;
  readonly keep: boolean;
  constructor(keep: boolean) {
    super();
    this.keep = keep;
  }
  onUpstreamConnection(conn: UpstreamConnection): void {
    this.conn = conn;
    conn.send(this, 'GET /pieces HTTP/1.1\r\nhost: x\r\n\r\n', false, false, false);
  }
  onUpstreamHead(_head: ResponseHead): void {
    this.emit('head');
  }
  onUpstreamData(chunk: Buffer): void {
    this.chunks.push(chunk);
    if (this.keep) this.conn!.keep();
    this.emit('data');
  }
  onUpstreamFlush(): void {}
  onUpstreamEnd(): void {
    this.emit('end');
  }
  onUpstreamError(code: ResponseErrorCode): void {
    this.emit('error', new Error(code));
  }
  onUpstreamDrain(): void {}
  onUpstreamUpgrade(): void {}
  onTunnelData(): void {}
  onTunnelClose(): void {}
}

describe('UpstreamConnection read buffer', () => {
  let server: net.Server;
  let port: number;
  const sockets: Socket[] = [];
  before(async () => {
    server = net.createServer((s) => {
      sockets.push(s);
      s.once('data', () => s.write('HTTP/1.1 200 OK\r\ncontent-length: 12\r\n\r\n'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });

  /** The body arrives in three reads ("AAAA", "BBBB", "CCCC"), each sent once the previous one was delivered. */
  async function pieces(keep: boolean): Promise<string[]> {
    const pool = new H1Pool('127.0.0.1', port, DEFAULT_LIMITS, new Sweeper(1000));
    const rec = new Recorder(keep);
    const headSeen = once(rec, 'head');
    pool.acquire(rec, false);
    await headSeen;
    const backend = sockets.at(-1)!;
    for (const piece of ['AAAA', 'BBBB', 'CCCC']) {
      const delivered = once(rec, piece === 'CCCC' ? 'end' : 'data');
      backend.write(piece);
      await delivered;
    }
    await pool.close();
    return rec.chunks.map((c) => c.toString('latin1'));
  }

  it('never reads into a chunk that was kept', async () => {
    assert.deepEqual(await pieces(true), ['AAAA', 'BBBB', 'CCCC']);
  });

  it('reuses its buffer for chunks that were not kept (why keep() exists)', async () => {
    assert.deepEqual(await pieces(false), ['CCCC', 'CCCC', 'CCCC']);
  });
});

describe('UpstreamConnection read buffer size', () => {
  const BODY = 256 * 1024;
  let server: net.Server;
  let port: number;
  before(async () => {
    server = net.createServer((s) => {
      s.on('error', () => undefined);
      s.once('data', () =>
        s.write(
          Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${BODY}\r\n\r\n`), Buffer.alloc(BODY, 'y')]),
        ),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('grows when a read fills it, so a large response arrives in reads larger than the first buffer', async () => {
    const pool = new H1Pool('127.0.0.1', port, DEFAULT_LIMITS, new Sweeper(1000));
    const rec = new Recorder(false);
    const sizes: number[] = [];
    let total = 0;
    rec.on('data', () => {
      const c = rec.chunks.at(-1)!;
      sizes.push(c.length);
      total += c.length;
      assert.ok(
        c.every((b) => b === 0x79),
        'body bytes intact',
      );
    });
    const end = once(rec, 'end');
    pool.acquire(rec, false);
    await end;
    await pool.close();
    assert.equal(total, BODY);
    assert.ok(Math.max(...sizes) > 16 * 1024, `reads: ${sizes.join(' ')}`);
  });
});

describe('UpstreamConnection back in its pool', () => {
  let server: net.Server;
  let port: number;
  before(async () => {
    // Every request gets a whole small response in one write: head and body arrive in one read.
    server = net.createServer((s) => {
      s.on('data', () => s.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'));
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('reads again for the next request when its last handler paused it on the read that ended the response', async () => {
    const pool = new H1Pool('127.0.0.1', port, DEFAULT_LIMITS, new Sweeper(1000));
    // The first handler's client is slow: it pauses the connection on the response's (only) data.
    const slow = new Recorder(false);
    slow.onUpstreamData = (chunk: Buffer) => {
      slow.chunks.push(chunk);
      slow.conn!.pause();
    };
    const first = once(slow, 'end');
    pool.acquire(slow, false);
    await first;
    const next = new Recorder(false);
    const second = once(next, 'end');
    pool.acquire(next, false);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('the next request hung')), 2000);
    });
    await Promise.race([second, timeout]).finally(() => clearTimeout(timer));
    assert.equal(next.conn, slow.conn, 'the same connection carried both');
    assert.equal(Buffer.concat(next.chunks).toString(), 'ok');
    await pool.close();
  });
});
