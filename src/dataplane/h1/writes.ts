/**
 * Writing response bytes to a client socket: a small body is copied behind its head (and its chunk framing) so that
 * all of it leaves in one write, one syscall; a large one is written as is, corked with what precedes it. Chunked
 * framing towards the client (and the upstream) is built here.
 */

import type { Socket } from 'node:net';

/** Bodies up to this size are copied behind their head so that both leave in one write. */
export const MERGE_MAX = 16 * 1024;
export const CRLF = '\r\n';
export const LAST_CHUNK = '0\r\n\r\n';

export function chunkHeader(n: number): string {
  return `${n.toString(16)}\r\n`;
}

/** `prefix` then `body` (as one chunk when `chunked`) in one new buffer. */
export function merge(prefix: string, body: Buffer, chunked: boolean): Buffer {
  const head = chunked ? prefix + chunkHeader(body.length) : prefix;
  const out = Buffer.allocUnsafe(head.length + body.length + (chunked ? 2 : 0));
  out.write(head, 0, 'latin1');
  body.copy(out, head.length);
  if (chunked) out.write(CRLF, head.length + body.length, 'latin1');
  return out;
}

/** `prefix` then `body` (as one chunk when `chunked`) without copying the body; false when the socket buffers. */
export function writeCorked(socket: Socket, prefix: string, body: Buffer, chunked: boolean): boolean {
  socket.cork();
  const head = chunked ? prefix + chunkHeader(body.length) : prefix;
  if (head !== '') socket.write(head, 'latin1');
  let ok = socket.write(body);
  if (chunked) ok = socket.write(CRLF, 'latin1');
  socket.uncork();
  return ok;
}
