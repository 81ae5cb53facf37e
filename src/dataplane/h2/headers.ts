/**
 * HTTP/2 <-> HTTP/1.1 field mapping for the raw engine's h2 streams. Requests: the pseudo-header fields of a stream's
 * HEADERS become the method, the target and Host (RFC 9113 8.3.1: :authority stands for Host; a Host field that
 * disagrees with it makes the request malformed), cookie crumbs are joined with "; " (8.2.3), and the facts the
 * upstream framing needs (Content-Length, Expect) are read once. Responses: the upstream's fields minus the
 * connection-specific ones (RFC 9113 8.2.2: Connection and the fields it nominates, Keep-Alive, Proxy-Connection,
 * Transfer-Encoding, Upgrade, TE), with the route's response header edits, as the flat list node:http2 sends as is
 * (it lower-cases names, and adds Date when the list has none: RFC 9110 6.6.1).
 */

import type { ResponseErrorCode } from '../errors.ts';
import { fieldList } from '../h1/fields.ts';
import { isHopByHop } from '../h1/heads.ts';
import type { ResponseHead } from '../h1/parser.ts';
import { responseHeaders } from '../http/filters.ts';
import { connectionTokens, removeFields } from '../http/headers.ts';
import { equalsIgnoreCase } from '../http/match.ts';
import type { FilterPlan } from '../http/table.ts';

/** One stream's request head, mapped to what an Exchange reads. */
export interface H2Request {
  readonly method: string;
  /** :path (the request target); '' for CONNECT. */
  readonly path: string;
  /** Regular fields, flat: Host first (from :authority), cookie crumbs joined. */
  readonly fields: string[];
  /** The client's Content-Length, or -1. */
  readonly contentLength: number;
  readonly expectContinue: boolean;
  /** Why the request cannot be served (null: it can). */
  readonly error: ResponseErrorCode | null;
}

/** A Content-Length value (1*DIGIT, at most 15 digits), or -1. */
function parseLength(value: string): number {
  if (value.length === 0 || value.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Maps a stream's raw header list (node:http2: lower-case names, pseudo-header fields first). */
export function readRequest(raw: readonly string[]): H2Request {
  // hot path
  const fields: string[] = [];
  let method = '';
  let path = '';
  let authority: string | undefined;
  let cookie: string | undefined;
  let contentLength = -1;
  let expectContinue = false;
  let error: ResponseErrorCode | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (name.charCodeAt(0) === 58 /* : */) {
      if (name === ':method') method = value;
      else if (name === ':path') path = value;
      else if (name === ':authority') {
        authority = value;
        fields.push('host', value); // pseudo-header fields come first: Host leads, as HTTP/1.1 clients send it
      }
      continue;
    }
    if (name === 'cookie') {
      cookie = cookie === undefined ? value : `${cookie}; ${value}`;
      continue;
    }
    if (name === 'host' && authority !== undefined) {
      if (!equalsIgnoreCase(value, authority)) error = 'ARCHWAY_ERR_BAD_HOST';
      continue;
    }
    if (name === 'content-length') {
      contentLength = parseLength(value);
      if (contentLength < 0) error = 'ARCHWAY_ERR_BAD_REQUEST';
    } else if (name === 'expect' && equalsIgnoreCase(value, '100-continue')) {
      expectContinue = true;
    }
    fields.push(name, value);
  }
  if (cookie !== undefined) fields.push('cookie', cookie);
  return { method, path, fields, contentLength, expectContinue, error };
}

/** Status codes as field values, cached. */
const STATUS_TEXT: string[] = [];

function statusText(status: number): string {
  let s = STATUS_TEXT[status];
  if (s === undefined) {
    s = String(status);
    STATUS_TEXT[status] = s;
  }
  return s;
}

/** Drops the connection-specific fields (HTTP/2 forbids them; node:http2 throws on them) from a flat list. */
function dropConnectionSpecific(list: string[]): void {
  let w = 0;
  for (let r = 0; r < list.length; r += 2) {
    const name = list[r]!;
    if (isHopByHop(name)) continue;
    list[w] = name;
    list[w + 1] = list[r + 1]!;
    w += 2;
  }
  list.length = w;
}

/** The response head for the client: :status, the upstream's end-to-end fields, the route's response edits. */
export function responseFields(head: ResponseHead, plan: FilterPlan): string[] {
  // hot path
  const raw = fieldList(head);
  const out = [':status', statusText(head.status)];
  let nominated: string[] | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (!isHopByHop(name)) out.push(name, raw[i + 1]!);
    else if (name.length === 10 && equalsIgnoreCase(name, 'connection'))
      nominated = connectionTokens(raw[i + 1]!, nominated);
  }
  if (nominated !== null) {
    removeFields(out, nominated);
    if (out[0] !== ':status') out.unshift(':status', statusText(head.status)); // "Connection: :status" named it
  }
  if (plan.responseHeaders.length !== 0) {
    responseHeaders(out, plan);
    dropConnectionSpecific(out);
  }
  return out;
}

/** The head of a response the proxy makes itself: `fields` (flat, e.g. Location) plus Content-Length. */
export function localFields(status: number, fields: readonly string[], bodyLength: number): string[] {
  const out = [':status', statusText(status), ...fields, 'content-length', String(bodyLength)];
  dropConnectionSpecific(out);
  return out;
}

/**
 * The same list with each repeated field other than Set-Cookie sent once, its values joined with ", " (RFC 9110
 * 5.3; identical values kept once): node:http2 refuses to send repeats of fields it knows to be single-valued.
 */
export function joinRepeated(list: readonly string[]): string[] {
  const out: string[] = [];
  const at = new Map<string, number>();
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!.toLowerCase();
    const value = list[i + 1]!;
    const j = name === 'set-cookie' ? undefined : at.get(name);
    if (j === undefined) {
      at.set(name, out.length);
      out.push(name, value);
    } else if (out[j + 1] !== value) {
      out[j + 1] = `${out[j + 1]!}, ${value}`;
    }
  }
  return out;
}
