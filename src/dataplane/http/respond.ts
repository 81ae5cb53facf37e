/**
 * Responses the proxy generates itself (errors, redirects), with precomputed heads and bodies per status. The body
 * and content type of an error response are defined here for every engine (node:http, raw HTTP/1.1, HTTP/2).
 */

import type { ServerResponse } from 'node:http';
import { http } from '../../lib/node-http.ts';

const { STATUS_CODES } = http;

interface Canned {
  readonly head: readonly string[];
  readonly body: Buffer;
}

/** The Content-Type field (flat) of a response the proxy makes itself for a status. */
export const TEXT_PLAIN: readonly string[] = ['content-type', 'text/plain; charset=utf-8'];

/** The body of a response the proxy makes itself for `status`: "<status> <reason>\n". */
export function statusBody(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Error'}\n`;
}

const canned = new Map<number, Canned>();

function cannedFor(status: number): Canned {
  let c = canned.get(status);
  if (c === undefined) {
    const body = Buffer.from(statusBody(status));
    c = { head: [...TEXT_PLAIN, 'content-length', String(body.length)], body };
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
