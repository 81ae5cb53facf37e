/**
 * Test fixtures for the h2 suites (not used by the data plane): a self-signed certificate made with the openssl CLI,
 * an HTTPS listener IR carrying it, a node:http2 client call that buffers its response, and a raw HTTP/2 client that
 * writes hand-made frames (HPACK literals, no Huffman) for what node:http2's client refuses to send.
 */

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2, {
  type ClientHttp2Session,
  type IncomingHttpHeaders,
  type IncomingHttpStatusHeader,
  type OutgoingHttpHeaders,
} from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls, { type TLSSocket } from 'node:tls';
import type { HttpListenerIR, TlsCertificateIR, VirtualHostIR } from '../../ir/types.ts';
import { listener } from '../testing/ir.ts';

/** A self-signed EC certificate for `cn` and `*.cn`. */
export function makeCert(cn: string): TlsCertificateIR {
  const dir = mkdtempSync(join(tmpdir(), 'archway-h2-'));
  try {
    const key = join(dir, 'k.pem');
    const crt = join(dir, 'c.pem');
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'],
        ...['-keyout', key, '-out', crt, '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn},DNS:*.${cn}`],
      ],
      { stdio: 'ignore' },
    );
    return { certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTPS listener on 127.0.0.1:0 whose virtual hosts all carry `cert`. */
export function httpsListener(name: string, cert: TlsCertificateIR, vhosts: readonly VirtualHostIR[]): HttpListenerIR {
  return listener(
    0,
    vhosts.map((v) => ({ ...v, tls: cert })),
    'https',
    name,
  );
}

/** An h2 client session to 127.0.0.1:`port` (certificate not verified), connected. */
export async function connectH2(port: number): Promise<ClientHttp2Session> {
  const session = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
  session.on('error', () => undefined);
  await once(session, 'connect');
  return session;
}

export interface H2Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders & IncomingHttpStatusHeader;
  readonly body: Buffer;
}

/** One request on `session`; `body` (when given) is sent and the stream ended. */
export function request(
  session: ClientHttp2Session,
  headers: OutgoingHttpHeaders,
  body?: string | Buffer | readonly (string | Buffer)[],
): Promise<H2Reply> {
  return new Promise((resolve, reject) => {
    const req = session.request(headers, { endStream: body === undefined });
    let head: (IncomingHttpHeaders & IncomingHttpStatusHeader) | null = null;
    const chunks: Buffer[] = [];
    req.on('response', (h) => {
      head = h;
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (head === null) reject(new Error('no response head'));
      else resolve({ status: Number(head[':status']), headers: head, body: Buffer.concat(chunks) });
    });
    req.on('error', reject);
    req.on('close', () => {
      if (head === null || !req.readableEnded) reject(new Error(`stream closed, code ${req.rstCode}`));
    });
    if (body === undefined) return;
    for (const part of Array.isArray(body) ? body : [body]) req.write(part);
    req.end();
  });
}

/** Parses the JSON an echo backend answered. */
export function echoedBody(reply: H2Reply): {
  backend: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
} {
  assert.equal(reply.headers['content-type'], 'application/json');
  return JSON.parse(reply.body.toString());
}

// --- raw frames ---

export const FRAME_DATA = 0;
export const FRAME_HEADERS = 1;
export const FRAME_RST_STREAM = 3;
export const FRAME_SETTINGS = 4;
export const FRAME_GOAWAY = 7;

export interface Frame {
  readonly type: number;
  readonly flags: number;
  readonly stream: number;
  readonly payload: Buffer;
}

const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

/** An HPACK integer with an `prefix`-bit prefix (RFC 7541 5.1). */
function hpackInt(n: number, prefix: number, first: number): number[] {
  const max = (1 << prefix) - 1;
  if (n < max) return [first | n];
  const out = [first | max];
  let rest = n - max;
  while (rest >= 128) {
    out.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

/** A header block of literal fields without indexing, new names, no Huffman (RFC 7541 6.2.2). */
export function headerBlock(fields: readonly [string, string][]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    const n = Buffer.from(name, 'latin1');
    const v = Buffer.from(value, 'latin1');
    parts.push(Buffer.from([0, ...hpackInt(n.length, 7, 0)]), n, Buffer.from(hpackInt(v.length, 7, 0)), v);
  }
  return Buffer.concat(parts);
}

export function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

/** HEADERS with END_HEADERS, and END_STREAM when `end`. */
export function headersFrame(stream: number, fields: readonly [string, string][], end = true): Buffer {
  return frame(FRAME_HEADERS, end ? 0x5 : 0x4, stream, headerBlock(fields));
}

/** A TLS connection speaking h2 by hand: frames in, frames out. */
export class RawH2 {
  readonly socket: TLSSocket;
  readonly frames: Frame[] = [];
  closed = false;
  #buf = Buffer.alloc(0);
  #waiters: (() => void)[] = [];

  constructor(socket: TLSSocket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => this.#onData(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
  }

  static async connect(port: number): Promise<RawH2> {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['h2'] });
    await once(socket, 'secureConnect');
    assert.equal(socket.alpnProtocol, 'h2');
    const raw = new RawH2(socket);
    raw.send(Buffer.concat([Buffer.from(PREFACE, 'latin1'), frame(FRAME_SETTINGS, 0, 0, Buffer.alloc(0))]));
    return raw;
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves with the first frame (received so far or later) that `pred` accepts; null if the connection closes. */
  async waitFor(pred: (f: Frame) => boolean): Promise<Frame | null> {
    for (;;) {
      const found = this.frames.find(pred);
      if (found !== undefined) return found;
      if (this.closed) return null;
      await new Promise<void>((r) => this.#waiters.push(r));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  #onData(d: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, d]);
    while (this.#buf.length >= 9) {
      const length = this.#buf.readUIntBE(0, 3);
      if (this.#buf.length < 9 + length) break;
      const type = this.#buf[3]!;
      const flags = this.#buf[4]!;
      const stream = this.#buf.readUInt32BE(5) & 0x7fffffff;
      this.frames.push({ type, flags, stream, payload: this.#buf.subarray(9, 9 + length) });
      if (type === FRAME_SETTINGS && (flags & 1) === 0) this.send(frame(FRAME_SETTINGS, 1, 0, Buffer.alloc(0)));
      this.#buf = this.#buf.subarray(9 + length);
    }
    this.#wake();
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const fn of w) fn();
  }
}
