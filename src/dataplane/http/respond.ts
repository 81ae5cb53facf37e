/**
 * Responses the proxy generates itself (errors, redirects), with precomputed heads and bodies per status.
 */

import type { ServerResponse } from 'node:http';
import { http } from '../../lib/node-http.ts';

const { STATUS_CODES } = http;

interface Canned {
  readonly head: readonly string[];
  readonly body: Buffer;
}

const canned = new Map<number, Canned>();

function cannedFor(status: number): Canned {
  let c = canned.get(status);
  if (c === undefined) {
    const body = Buffer.from(`${status} ${STATUS_CODES[status] ?? 'Error'}\n`);
    c = { head: ['content-type', 'text/plain; charset=utf-8', 'content-length', String(body.length)], body };
    canned.set(status, c);
  }
  return c;
}

/** A short text/plain response with `status`; `close` asks the client to close the connection. */
export function sendStatus(res: ServerResponse, status: number, close: boolean): void {
  if (res.headersSent || res.destroyed) return;
  const c = cannedFor(status);
  if (close) res.shouldKeepAlive = false;
  res.writeHead(status, c.head as string[]);
  res.end(c.body);
}

/** A redirect: `headers` (already filtered) plus Location and an empty body. */
export function sendRedirect(res: ServerResponse, status: number, headers: string[], close: boolean): void {
  if (res.headersSent || res.destroyed) return;
  headers.push('content-length', '0');
  if (close) res.shouldKeepAlive = false;
  res.writeHead(status, headers);
  res.end();
}
