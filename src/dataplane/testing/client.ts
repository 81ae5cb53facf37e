/**
 * Test clients: `send` makes one HTTP request on a fresh connection (no agent) and buffers the answer; `sendRaw`
 * writes bytes on a TCP connection and returns everything read until the server closes it; `exchangeRaw` writes bytes
 * and reads responses (Content-Length or chunked) until it has `count` of them or the server closes.
 */

import http from 'node:http';
import net from 'node:net';

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface SendOptions {
  readonly method?: string;
  readonly host?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export function send(port: number, path: string, opts: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: opts.host ?? 'example.com', ...opts.headers };
    const req = http.request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export function sendRaw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      data += d;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
    socket.write(bytes);
  });
}

/** Parses the JSON an echo backend answered. */
export function echoed(reply: Reply): {
  backend: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
} {
  return JSON.parse(reply.body);
}

/** `send` through a keep-alive agent (for many requests). */
export function sendVia(agent: http.Agent, port: number, path: string, host = 'example.com'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers: { host }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

export interface RawExchangeResult {
  readonly responses: RawResponse[];
  /** The server closed the connection. */
  readonly closed: boolean;
}

/** Decodes a complete chunked body at `data[start...]`: [body, end index], or null while incomplete. */
function chunkedAt(data: string, start: number): [string, number] | null {
  let body = '';
  let i = start;
  for (;;) {
    const eol = data.indexOf('\r\n', i);
    if (eol < 0) return null;
    const size = Number.parseInt(data.slice(i, eol), 16);
    if (size === 0) {
      const end = data.indexOf('\r\n\r\n', eol);
      return end < 0 ? null : [body, end + 4];
    }
    if (data.length < eol + 2 + size + 2) return null;
    body += data.slice(eol + 2, eol + 2 + size);
    i = eol + 2 + size + 2;
  }
}

/**
 * Splits complete responses (Content-Length or chunked) off the front of `data`; 1xx responses are skipped; 204, 304
 * and the responses whose index is in `bodyless` (answers to HEAD) have no body.
 */
function takeResponses(data: string, into: RawResponse[], bodyless: readonly number[]): string {
  for (;;) {
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) return data;
    const head = data.slice(0, end);
    const status = Number(head.slice(9, 12));
    if (status >= 100 && status < 200) {
      data = data.slice(end + 4);
      continue;
    }
    if (status === 204 || status === 304 || bodyless.includes(into.length)) {
      into.push({ status, head, body: '' });
      data = data.slice(end + 4);
      continue;
    }
    if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      const chunked = chunkedAt(data, end + 4);
      if (chunked === null) return data;
      into.push({ status, head, body: chunked[0] });
      data = data.slice(chunked[1]);
      continue;
    }
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (data.length < end + 4 + length) return data;
    into.push({ status, head, body: data.slice(end + 4, end + 4 + length) });
    data = data.slice(end + 4 + length);
  }
}

/**
 * Writes `bytes` (Latin-1) and resolves with `count` responses, or with what came before the server closed.
 * `bodyless`: indexes of the responses that answer HEAD requests.
 */
export function exchangeRaw(
  port: number,
  bytes: string,
  count: number,
  bodyless: readonly number[] = [],
): Promise<RawExchangeResult> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const responses: RawResponse[] = [];
    let data = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ responses, closed });
    };
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      data = takeResponses(data + d, responses, bodyless);
      if (responses.length >= count) finish(false);
    });
    socket.on('error', (err) => (done ? undefined : reject(err)));
    socket.on('close', () => finish(true));
    socket.write(Buffer.from(bytes, 'latin1'));
  });
}
