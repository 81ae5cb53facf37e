import assert from 'node:assert/strict';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { MERGE_MAX, writeMerged } from './writes.ts';

/** A connected pair over loopback: `server` is the side written to, `client` reads only when told. */
async function pair(): Promise<{ server: net.Socket; client: net.Socket; close(): Promise<void> }> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const accepted = once(srv, 'connection');
  const client = net.connect((srv.address() as AddressInfo).port, '127.0.0.1');
  client.pause();
  const [server] = (await accepted) as [net.Socket];
  return {
    server,
    client,
    close: async () => {
      client.destroy();
      server.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
}

const body = (i: number, n: number) => Buffer.alloc(n, 97 + (i % 26));

/** Resumes the paused reader and collects `n` bytes. */
async function readAll(client: net.Socket, n: number): Promise<Buffer> {
  const got: Buffer[] = [];
  let size = 0;
  client.on('data', (c: Buffer) => {
    got.push(c);
    size += c.length;
    if (size >= n) client.emit('all');
  });
  const all = once(client, 'all');
  client.resume();
  await all;
  return Buffer.concat(got);
}

describe('writeMerged', () => {
  it('keeps every queued write intact while later writes reuse or replace the scratch buffer', async () => {
    const { server, client, close } = await pair();
    const expected: Buffer[] = [];
    let queued = 0;
    // Enough bytes that the kernel's buffers fill and later writes queue in the socket (the reader is paused).
    for (let i = 0; i < 1200; i++) {
      const b = body(i, 9000 + (i % 7) * 1000);
      writeMerged(server, `#${i}:`, b, false);
      expected.push(Buffer.from(`#${i}:`, 'latin1'), b);
      if (server.writableLength !== 0) queued++;
    }
    assert.ok(queued > 0, 'some writes must have queued for this test to mean anything');
    const want = Buffer.concat(expected);
    const got = await readAll(client, want.length);
    await close();
    assert.ok(got.equals(want), 'bytes differ from what was written');
  });

  it('frames a chunk and copies bodies larger than the scratch into their own buffer', async () => {
    const { server, client, close } = await pair();
    const big = body(1, MERGE_MAX * 3);
    writeMerged(server, 'H\r\n', Buffer.from('abc'), true);
    writeMerged(server, '', big, false);
    const want = Buffer.concat([Buffer.from('H\r\n3\r\nabc\r\n'), big]);
    const got = await readAll(client, want.length);
    await close();
    assert.ok(got.equals(want));
  });
});
