/**
 * Field lines of an HTTP/1.1 head (RFC 9112 5, RFC 9110 5.5): names are tokens directly followed by ':', values have
 * no CTL except HTAB (obs-text allowed) and lose surrounding whitespace; no obs-fold. While reading them, the facts
 * framing and forwarding depend on are collected into the MessageHead (Content-Length, Transfer-Encoding, Connection
 * tokens, Host count, Expect, Upgrade, Date, and where the hop-by-hop lines are), telling names apart by length first.
 */

import { COLON, CR, FIELD_VALUE, HTAB, LF, SP, TCHAR } from './chars.ts';

export const OK = 0;
export const BAD_REQUEST = 400;
export const FIELDS_TOO_LARGE = 431;

const MAX_CONTENT_LENGTH_DIGITS = 15;

/** What every head carries: its fields and the facts framing and reuse depend on. */
export class MessageHead {
  /**
   * Flat [name, value, ...] as received: names keep their case, values lose surrounding whitespace. Requests always
   * have it; for responses it is built on demand by fieldList() (most responses are forwarded line by line).
   */
  headers: string[] = [];
  /** The head as parsed, and where its field lines start and end (the final CRLF). */
  text = '';
  fieldsStart = 0;
  fieldsEnd = 0;
  /** [start, end) of each hop-by-hop field line (RFC 9110 7.6.1) in `text`; null when there is none. */
  hop: number[] | null = null;
  hasDate = false;
  fieldCount = 0;
  /** -1 when absent. */
  contentLength = -1;
  chunked = false;
  transferEncodings = 0;
  /** Connection tokens. */
  close = false;
  keepAliveToken = false;
  upgradeToken = false;
  /** Connection names other fields (they are hop-by-hop too). */
  nominates = false;
  hosts = 0;
  /** Expect values joined by ","; null when absent. */
  expect: string | null = null;
  upgrade = '';
  /** Whether the connection may carry another message after this one. */
  keepAlive = true;
  /** 11 or 10. */
  version = 11;
}

/** `s[start, end)` equals `lower` ignoring ASCII case. */
export function regionIs(s: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = s.charCodeAt(start + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** The Connection tokens in v[start, end). */
function connectionTokens(v: string, start: number, end: number, head: MessageHead): void {
  let i = start;
  while (i < end) {
    let j = v.indexOf(',', i);
    if (j < 0 || j > end) j = end;
    let a = i;
    let b = j;
    while (a < b && (v.charCodeAt(a) === SP || v.charCodeAt(a) === HTAB)) a++;
    while (b > a && (v.charCodeAt(b - 1) === SP || v.charCodeAt(b - 1) === HTAB)) b--;
    if (regionIs(v, a, b, 'close')) head.close = true;
    else if (regionIs(v, a, b, 'keep-alive')) head.keepAliveToken = true;
    else if (regionIs(v, a, b, 'upgrade')) head.upgradeToken = true;
    else if (b > a) head.nominates = true;
    i = j + 1;
  }
}

/** v[start, end) as 1..15 decimal digits, or -1. */
function parseContentLength(v: string, start: number, end: number): number {
  const n = end - start;
  if (n === 0 || n > MAX_CONTENT_LENGTH_DIGITS) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function hopByHop(head: MessageHead, start: number, end: number): void {
  head.hop ??= [];
  head.hop.push(start, end);
}

/**
 * Records a field the framing or forwarding depends on: its name is s[n0, n1), its value s[v0, v1), its line ends at
 * `end`. Names are told apart by length first, so most fields cost one switch. False when the field makes the message
 * invalid.
 */
function noteField(head: MessageHead, s: string, n0: number, n1: number, v0: number, v1: number, end: number): boolean {
  switch (n1 - n0) {
    case 2:
      if (regionIs(s, n0, n1, 'te')) hopByHop(head, n0, end);
      return true;
    case 4:
      if (regionIs(s, n0, n1, 'host')) head.hosts++;
      else if (regionIs(s, n0, n1, 'date')) head.hasDate = true;
      return true;
    case 6:
      if (regionIs(s, n0, n1, 'expect')) {
        const value = s.slice(v0, v1);
        head.expect = head.expect === null ? value : `${head.expect},${value}`;
      }
      return true;
    case 7:
      if (regionIs(s, n0, n1, 'upgrade')) {
        if (head.upgrade === '') head.upgrade = s.slice(v0, v1);
        hopByHop(head, n0, end);
      } else if (regionIs(s, n0, n1, 'trailer')) {
        hopByHop(head, n0, end);
      }
      return true;
    case 10:
      if (regionIs(s, n0, n1, 'connection')) {
        connectionTokens(s, v0, v1, head);
        hopByHop(head, n0, end);
      } else if (regionIs(s, n0, n1, 'keep-alive')) {
        hopByHop(head, n0, end);
      }
      return true;
    case 14:
      if (regionIs(s, n0, n1, 'content-length')) {
        if (head.contentLength >= 0) return false;
        head.contentLength = parseContentLength(s, v0, v1);
        return head.contentLength >= 0;
      }
      if (regionIs(s, n0, n1, 'http2-settings')) hopByHop(head, n0, end);
      return true;
    case 16:
      if (regionIs(s, n0, n1, 'proxy-connection')) hopByHop(head, n0, end);
      return true;
    case 17:
      if (!regionIs(s, n0, n1, 'transfer-encoding')) return true;
      hopByHop(head, n0, end);
      head.transferEncodings++;
      head.chunked = regionIs(s, v0, v1, 'chunked');
      return head.chunked && head.transferEncodings === 1;
    default:
      return true;
  }
}

/**
 * Parses the field lines of `s` from `i` to the final empty line; `collect` fills head.headers. Returns 0, 400
 * (malformed) or 431 (more than `maxCount` fields).
 */
export function parseFields(s: string, i: number, maxCount: number, head: MessageHead, collect: boolean): number {
  // hot path
  head.text = s;
  head.fieldsStart = i;
  const headers = head.headers;
  let count = 0;
  for (;;) {
    let c = s.charCodeAt(i);
    if (c === CR) {
      head.fieldsEnd = i;
      head.fieldCount = count;
      return s.charCodeAt(i + 1) === LF && i + 2 === s.length ? OK : BAD_REQUEST;
    }
    const n0 = i;
    while (TCHAR[c] === 1) c = s.charCodeAt(++i);
    if (i === n0 || c !== COLON) return BAD_REQUEST; // also obs-fold, whitespace before the colon, bare LF
    const n1 = i;
    c = s.charCodeAt(++i);
    while (c === SP || c === HTAB) c = s.charCodeAt(++i);
    const v0 = i;
    const cr = s.indexOf('\r', i); // found: a complete head ends with CRLF CRLF
    for (; i < cr; i++) if (FIELD_VALUE[s.charCodeAt(i)] !== 1) return BAD_REQUEST;
    if (s.charCodeAt(cr + 1) !== LF) return BAD_REQUEST;
    let v1 = cr;
    c = s.charCodeAt(v1 - 1);
    while (v1 > v0 && (c === SP || c === HTAB)) c = s.charCodeAt(--v1 - 1);
    i = cr + 2;
    if (++count > maxCount) return FIELDS_TOO_LARGE;
    if (collect) headers.push(s.slice(n0, n1), s.slice(v0, v1));
    if (!noteField(head, s, n0, n1, v0, v1, i)) return BAD_REQUEST;
  }
}

/** The flat [name, value...] list of a head (built from its text, once, when it was not collected while parsing). */
export function fieldList(head: MessageHead): string[] {
  const list = head.headers;
  if (list.length !== 0 || head.fieldCount === 0) return list;
  const s = head.text;
  let i = head.fieldsStart;
  while (i < head.fieldsEnd) {
    const colon = s.indexOf(':', i);
    const cr = s.indexOf('\r', colon);
    let v0 = colon + 1;
    let v1 = cr;
    while (v0 < v1 && (s.charCodeAt(v0) === SP || s.charCodeAt(v0) === HTAB)) v0++;
    while (v1 > v0 && (s.charCodeAt(v1 - 1) === SP || s.charCodeAt(v1 - 1) === HTAB)) v1--;
    list.push(s.slice(i, colon), s.slice(v0, v1));
    i = cr + 2;
  }
  return list;
}
