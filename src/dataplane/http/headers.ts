/**
 * Header hygiene between client and upstream (RFC 9110 7.6.1): hop-by-hop fields and the fields a Connection header
 * names are dropped in both directions; the proxy sets X-Forwarded-For / -Proto / -Host itself. Headers travel as
 * flat [name, value, name, value...] arrays (node:http rawHeaders in, undici / writeHead out): no per-request objects.
 */

import { equalsIgnoreCase } from './match.ts';

/** Response headers as undici parses them: lower-case names, repeated fields as arrays. */
export type UpstreamHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Hop-by-hop fields (RFC 9110 7.6.1, plus the legacy Keep-Alive / Proxy-Connection and h2c's HTTP2-Settings). */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

export const H_PLAIN = 0;
export const H_DROP = 1;
export const H_HOST = 2;
export const H_CONNECTION = 3;
export const H_XFF = 4;
export const H_CONTENT_LENGTH = 5;
export const H_TRANSFER_ENCODING = 6;

/** Classification of request fields the proxy treats specially; everything else is H_PLAIN. */
const REQUEST_CLASS: ReadonlyMap<string, number> = new Map([
  ['host', H_HOST],
  ['connection', H_CONNECTION],
  ['keep-alive', H_DROP],
  ['proxy-connection', H_DROP],
  ['te', H_DROP],
  ['trailer', H_DROP],
  ['upgrade', H_DROP],
  ['http2-settings', H_DROP],
  // node:http answers "Expect: 100-continue" itself; the upstream must not see it.
  ['expect', H_DROP],
  // set by the proxy from what it saw, never trusted from the client
  ['x-forwarded-proto', H_DROP],
  ['x-forwarded-host', H_DROP],
  ['x-forwarded-for', H_XFF],
  ['content-length', H_CONTENT_LENGTH],
  ['transfer-encoding', H_TRANSFER_ENCODING],
]);

/** Lengths of the names above: a cheap filter before any lower-casing. */
const SPECIAL_LENGTHS: readonly boolean[] = (() => {
  const out: boolean[] = [];
  for (const name of REQUEST_CLASS.keys()) out[name.length] = true;
  return out;
})();

export function classifyRequestHeader(name: string): number {
  // hot path
  if (SPECIAL_LENGTHS[name.length] !== true) return H_PLAIN;
  return REQUEST_CLASS.get(name) ?? REQUEST_CLASS.get(name.toLowerCase()) ?? H_PLAIN;
}

/**
 * Field names a Connection header nominates (RFC 9110 7.6.1), lower-case, without "close" / "keep-alive"
 * (already dropped); null when there are none (the common case).
 */
export function connectionTokens(value: string, into: string[] | null): string[] | null {
  for (const token of value.split(',')) {
    const t = token.trim().toLowerCase();
    if (t === '' || t === 'close' || t === 'keep-alive') continue;
    into ??= [];
    into.push(t);
  }
  return into;
}

/** Removes every field named in `names` (lower-case) from a flat header list. */
export function removeFields(list: string[], names: readonly string[]): void {
  let w = 0;
  for (let r = 0; r < list.length; r += 2) {
    const name = list[r]!;
    if (names.some((n) => equalsIgnoreCase(name, n))) continue;
    list[w] = name;
    list[w + 1] = list[r + 1]!;
    w += 2;
  }
  list.length = w;
}

/** Upstream response headers (lower-case object) -> flat list without hop-by-hop / Connection-nominated fields. */
export function responseHeaderList(headers: UpstreamHeaders): string[] {
  const out: string[] = [];
  const connection = headers.connection;
  const nominated = typeof connection === 'string' ? connectionTokens(connection, null) : null;
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || nominated?.includes(name) === true) continue;
    const value = headers[name];
    if (typeof value === 'string') out.push(name, value);
    else if (value !== undefined) for (const v of value) out.push(name, v);
  }
  return out;
}
