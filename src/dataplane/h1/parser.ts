/**
 * Strict HTTP/1.1 message heads (RFC 9112), for requests from clients and responses from upstreams. A head is
 * parsed once it is complete (it ends with CRLF CRLF), as one Latin-1 string, into a flat [name, value...] list plus
 * the facts that decide framing and connection reuse. Anything ambiguous is rejected rather than guessed, because a
 * proxy that reads a message differently from the server behind it enables request smuggling:
 *
 * - lines end with CRLF only (no bare CR or LF); no obs-fold; no whitespace before the colon; names are tokens;
 *   values have no CTL except HTAB (obs-text is allowed);
 * - the method is one Node knows (CONNECT excluded); the target is visible ASCII in origin-form ("/...") or
 *   http(s) absolute-form with a plain authority (no userinfo), never authority- or asterisk-form; the version is
 *   exactly HTTP/1.1 or HTTP/1.0 (another HTTP/x.y gets 505);
 * - Content-Length is 1..15 digits and appears once; Transfer-Encoding appears once and is exactly "chunked"; the two
 *   never appear together; HTTP/1.0 requests carry no Transfer-Encoding; HTTP/1.1 requests carry exactly one Host.
 *
 * Field lines are read by fields.ts. Errors are the HTTP status a client gets (400, 431, 417, 505); for responses any
 * non-zero result means "invalid".
 */

import { http } from '../../lib/node-http.ts';
import { equalsIgnoreCase } from '../http/match.ts';
import { AUTHORITY, CR, FIELD_VALUE, LF, SP, TARGET, TCHAR } from './chars.ts';
import { BAD_REQUEST, MessageHead, OK, parseFields, regionIs } from './fields.ts';

const { METHODS } = http;

export const EXPECTATION_FAILED = 417;
export const VERSION_NOT_SUPPORTED = 505;

/** Method name -> the interned string (so routes compare methods by reference). CONNECT is not proxied. */
const KNOWN_METHODS: ReadonlyMap<string, string> = new Map(
  METHODS.filter((m) => m !== 'CONNECT').map((m) => [m, m] as const),
);

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

export class RequestHead extends MessageHead {
  method = 'GET';
  target = '/';
  expectContinue = false;
}

export class ResponseHead extends MessageHead {
  status = 0;
  reason = '';
}

/** Index just past the first empty lines (CRLF) at `off` (RFC 9112 2.2 lets a server ignore them). */
export function skipEmptyLines(buf: Buffer, off: number, end: number): number {
  while (off + 1 < end && buf[off] === CR && buf[off + 1] === LF) off += 2;
  return off;
}

/** Index just past the CRLF CRLF that ends a head in buf[from, end), or -1 when the head is not complete yet. */
export function findHeadEnd(buf: Buffer, from: number, end: number): number {
  const i = buf.indexOf(CRLFCRLF, from);
  return i < 0 || i + 4 > end ? -1 : i + 4;
}

/** Whether buf[from, end) holds an LF not preceded by CR (a line ending RFC 9112 does not allow). */
export function hasBareLF(buf: Buffer, from: number, end: number): boolean {
  let i = buf.indexOf(LF, from);
  while (i >= 0 && i < end) {
    if (i === 0 || buf[i - 1] !== CR) return true;
    i = buf.indexOf(LF, i + 1);
  }
  return false;
}

/** "HTTP/1.1\r\n" at `i` -> 11, "HTTP/1.0\r\n" -> 10, another "HTTP/d.d\r\n" -> 0, anything else -> -1. */
function requestVersion(s: string, i: number): number {
  if (!s.startsWith('HTTP/1.', i) || s.charCodeAt(i + 9) !== LF || s.charCodeAt(i + 8) !== CR) {
    const d1 = s.charCodeAt(i + 5) - 48;
    const d2 = s.charCodeAt(i + 7) - 48;
    const shaped = s.startsWith('HTTP/', i) && d1 >= 0 && d1 <= 9 && s.charCodeAt(i + 6) === 46 && d2 >= 0 && d2 <= 9;
    return shaped && s.charCodeAt(i + 8) === CR && s.charCodeAt(i + 9) === LF ? 0 : -1;
  }
  const minor = s.charCodeAt(i + 7);
  return minor === 49 ? 11 : minor === 48 ? 10 : minor >= 48 && minor <= 57 ? 0 : -1;
}

/** "http://authority..." or "https://authority..." in s[start, end), the authority non-empty and plain. */
function absoluteForm(s: string, start: number, end: number): boolean {
  let i = start;
  if (regionIs(s, i, i + 7, 'http://')) i += 7;
  else if (regionIs(s, i, i + 8, 'https://')) i += 8;
  else return false;
  const a0 = i;
  while (i < end && AUTHORITY[s.charCodeAt(i)] === 1) i++;
  const c = s.charCodeAt(i);
  return i > a0 && (i === end || c === 47 /* / */ || c === 63) /* ? */;
}

/**
 * Parses a complete request head `s` (request line to the final CRLF CRLF, without leading empty lines) into `head`.
 * Returns 0 or the status to answer with.
 */
export function parseRequestHead(s: string, maxFields: number, head: RequestHead): number {
  // hot path
  let i = 0;
  let c = s.charCodeAt(0);
  while (TCHAR[c] === 1) c = s.charCodeAt(++i);
  if (i === 0 || c !== SP) return BAD_REQUEST;
  const method = KNOWN_METHODS.get(s.slice(0, i));
  if (method === undefined) return BAD_REQUEST;
  head.method = method;
  const t0 = ++i;
  c = s.charCodeAt(i);
  while (TARGET[c] === 1) c = s.charCodeAt(++i);
  if (i === t0 || c !== SP) return BAD_REQUEST;
  if (s.charCodeAt(t0) !== 47 /* / */ && !absoluteForm(s, t0, i)) return BAD_REQUEST;
  head.target = s.slice(t0, i);
  const version = requestVersion(s, ++i);
  if (version <= 0) return version === 0 ? VERSION_NOT_SUPPORTED : BAD_REQUEST;
  head.version = version;
  const fields = parseFields(s, i + 10, maxFields, head, true);
  if (fields !== OK) return fields;
  return checkRequest(head);
}

/** The rules that span several fields of a request. */
function checkRequest(head: RequestHead): number {
  if (head.hosts > 1 || (head.hosts === 0 && head.version === 11)) return BAD_REQUEST;
  if (head.transferEncodings > 0 && (head.contentLength >= 0 || head.version === 10)) return BAD_REQUEST;
  // RFC 9110 10.1.1: HTTP/1.0 requests' expectations are ignored.
  if (head.expect !== null && head.version === 11) {
    if (!equalsIgnoreCase(head.expect, '100-continue')) return EXPECTATION_FAILED;
    head.expectContinue = true;
  }
  head.keepAlive = head.version === 11 ? !head.close : head.keepAliveToken && !head.close;
  return OK;
}

/** A complete response head from an upstream; returns 0, or non-zero when it is invalid (the client gets 502). */
export function parseResponseHead(s: string, maxFields: number, head: ResponseHead): number {
  if (!s.startsWith('HTTP/1.', 0)) return BAD_REQUEST;
  const minor = s.charCodeAt(7);
  if ((minor !== 49 && minor !== 48) || s.charCodeAt(8) !== SP) return BAD_REQUEST;
  head.version = minor === 49 ? 11 : 10;
  const d0 = s.charCodeAt(9) - 48;
  const d1 = s.charCodeAt(10) - 48;
  const d2 = s.charCodeAt(11) - 48;
  if (d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return BAD_REQUEST;
  head.status = d0 * 100 + d1 * 10 + d2;
  let i = 12;
  let c = s.charCodeAt(i);
  if (c === SP) {
    const r0 = ++i;
    c = s.charCodeAt(i);
    while (c !== CR) {
      if (FIELD_VALUE[c] !== 1) return BAD_REQUEST;
      c = s.charCodeAt(++i);
    }
    head.reason = s.slice(r0, i);
  }
  if (c !== CR || s.charCodeAt(i + 1) !== LF) return BAD_REQUEST;
  const fields = parseFields(s, i + 2, maxFields, head, false);
  if (fields !== OK) return fields;
  if (head.transferEncodings > 0 && head.contentLength >= 0) return BAD_REQUEST;
  head.keepAlive = head.version === 11 ? !head.close : head.keepAliveToken && !head.close;
  return OK;
}
