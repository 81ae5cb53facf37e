/**
 * Writing response bytes to a client socket: a small body is copied behind its head (and its chunk framing) so that
 * all of it leaves in one write, one syscall; a large one is written as is, corked with what precedes it. Chunked
 * framing towards the client (and the upstream) is built here.
 *
 * The copy goes into one process-wide scratch buffer, not a new allocation per response: a write the kernel takes at
 * once leaves the scratch free for the next one; a write the socket has to queue keeps referencing its bytes, so the
 * scratch is then handed over to that write and a new one is made. TLS sockets get a buffer of the exact size instead.
 */

import type { Socket } from 'node:net';

/** Bodies up to this size are copied behind their head so that both leave in one write. */
export const MERGE_MAX = 16 * 1024;
export const CRLF = '\r\n';
export const LAST_CHUNK = '0\r\n\r\n';

export function chunkHeader(n: number): string {
  return `${n.toString(16)}\r\n`;
}

/** node:tls sockets say so (net.Socket has no such property). */
type TlsAware = Socket & { readonly encrypted?: boolean };

/** The scratch holds a merged head and body of up to MERGE_MAX bytes plus a response head of this size. */
const SCRATCH_BYTES = MERGE_MAX + 8 * 1024;
let scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

/**
 * Writes `prefix` then `body` (as one chunk when `chunked`) as one write, copied into the scratch buffer (or a new one
 * when they do not fit); false when the socket buffers.
 */
export function writeMerged(socket: Socket, prefix: string, body: Buffer, chunked: boolean): boolean {
  const head = chunked ? prefix + chunkHeader(body.length) : prefix;
  const size = head.length + body.length + (chunked ? 2 : 0);
  // A TLS socket's write completes after the encrypted bytes left, so its writes always look queued: the scratch
  // would be replaced (24 KiB) on every response. A buffer of the exact size (pooled when small) costs far less.
  const out = size <= SCRATCH_BYTES && (socket as TlsAware).encrypted !== true ? scratch : Buffer.allocUnsafe(size);
  out.write(head, 0, 'latin1');
  body.copy(out, head.length);
  if (chunked) out.write(CRLF, head.length + body.length, 'latin1');
  const ok = socket.write(out.subarray(0, size));
  if (out === scratch && socket.writableLength !== 0) scratch = Buffer.allocUnsafe(SCRATCH_BYTES); // queued: it keeps it
  return ok;
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
