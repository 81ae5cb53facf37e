/**
 * What every HTTP(S) request goes through, whichever engine carries it: read the head once (Host, hop-by-hop
 * removal, forwarding headers, target normalization), pick the virtual host and route from the table current at
 * arrival, forward. Everything a request touches hangs off its Exchange; the table it started with is the one it
 * finishes on.
 */

import type { ResponseErrorCode } from '../errors.ts';
import type { Exchange } from './exchange.ts';
import { rewriteHost } from './filters.ts';
import {
  classifyRequestHeader,
  connectionTokens,
  H_CONNECTION,
  H_CONTENT_LENGTH,
  H_HOST,
  H_PLAIN,
  H_TRANSFER_ENCODING,
  H_XFF,
  removeFields,
} from './headers.ts';
import { matchRoute, selectVhost } from './match.ts';
import { normalizeHost, normalizePath } from './normalize.ts';
import { forward } from './proxy.ts';

/** "http://authority/path?q" -> [authority, "/path?q"]; null when not an absolute-form http(s) target. */
function splitAbsoluteForm(url: string): [string, string] | null {
  const lower = url.slice(0, 8).toLowerCase();
  const start = lower.startsWith('http://') ? 7 : lower.startsWith('https://') ? 8 : -1;
  if (start < 0) return null;
  let end = start;
  while (end < url.length && url[end] !== '/' && url[end] !== '?') end++;
  const rest = url.slice(end);
  return [url.slice(start, end), rest === '' || rest[0] === '?' ? `/${rest}` : rest];
}

/**
 * Copies the client's headers into the outgoing list minus hop-by-hop fields (RFC 9110 7.6.1), notes Host and body,
 * and appends X-Forwarded-For / -Proto / -Host. Returns the Host value (undefined: none; null: more than one).
 */
function readHeaders(ex: Exchange): string | undefined | null {
  // hot path
  const raw = ex.rawHeaders;
  const out = ex.headers;
  let host: string | undefined;
  let xff: string | undefined;
  let nominated: string[] | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const kind = classifyRequestHeader(name);
    if (kind === H_PLAIN) {
      out.push(name, value);
    } else if (kind === H_HOST) {
      if (host !== undefined) return null;
      host = value;
      out.push(name, value);
    } else if (kind === H_CONTENT_LENGTH) {
      if (value !== '0') ex.hasBody = true;
      out.push(name, value);
    } else if (kind === H_TRANSFER_ENCODING) {
      ex.hasBody = true;
    } else if (kind === H_XFF) {
      xff = xff === undefined ? value : `${xff}, ${value}`;
    } else if (kind === H_CONNECTION) {
      nominated = connectionTokens(value, nominated);
    }
  }
  if (nominated !== null) removeFields(out, nominated);
  const client = ex.remoteAddress;
  out.push('x-forwarded-for', xff === undefined ? client : `${xff}, ${client}`, 'x-forwarded-proto', ex.ctx.scheme);
  if (host !== undefined) out.push('x-forwarded-host', host);
  return host;
}

/** Reads and validates the request head into `ex`; returns an error code or null. */
function readHead(ex: Exchange): ResponseErrorCode | null {
  if (ex.rawHeaders.length > ex.ctx.limits.maxHeaderCount * 2) return 'ARCHWAY_ERR_TOO_MANY_HEADERS';
  const host = readHeaders(ex);
  if (host === null) return 'ARCHWAY_ERR_BAD_HOST';
  let authority = host ?? '';
  let url = ex.url;
  if (url.charCodeAt(0) !== 47 /* / */) {
    const parts = splitAbsoluteForm(url);
    if (parts === null) return 'ARCHWAY_ERR_BAD_REQUEST';
    // RFC 9112 3.2.2: the target's authority replaces Host.
    [authority, url] = parts;
    rewriteHost(ex.headers, authority);
    ex.targetChanged = true;
  }
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  if (q >= 0) ex.query = url.slice(q);
  const path = normalizePath(rawPath);
  if (path === null) return 'ARCHWAY_ERR_BAD_PATH';
  if (path !== rawPath) ex.targetChanged = true;
  ex.path = path;
  const normalized = normalizeHost(authority);
  if (normalized === null) return 'ARCHWAY_ERR_BAD_HOST';
  ex.host = normalized;
  return null;
}

/** Routes and forwards one request whose head has been read into `ex`. */
export function handleExchange(ex: Exchange): void {
  // hot path
  const error = readHead(ex);
  if (error !== null) {
    ex.fail(error);
    return;
  }
  const vhost = selectVhost(ex.table, ex.host);
  const route = vhost === null ? null : matchRoute(vhost.routes.candidates(ex.host), ex);
  if (route === null) {
    ex.fail('ARCHWAY_ERR_NO_ROUTE');
    return;
  }
  ex.route = route;
  forward(ex, route);
}
