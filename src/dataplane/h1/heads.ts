/**
 * Heads the raw engine writes, each built as one Latin-1 string: the request head sent upstream, the response head
 * sent to the client (upstream fields minus hop-by-hop ones, RFC 9110 7.6.1, plus the framing and Connection fields
 * this hop decides, and Date when the upstream sent none, RFC 9110 6.6.1), and the short responses the proxy makes
 * itself. Status lines and the Date field are cached; nothing per request is precomputable beyond that.
 */

import { http } from '../../lib/node-http.ts';
import { responseHeaders } from '../http/filters.ts';
import { connectionTokens, removeFields } from '../http/headers.ts';
import { equalsIgnoreCase } from '../http/match.ts';
import type { FilterPlan } from '../http/table.ts';
import { fieldList } from './fields.ts';
import type { ResponseHead } from './parser.ts';

const { STATUS_CODES } = http;

/** Standard reason phrases and cached status lines, indexed by status (arrays: no dictionary lookups per request). */
const REASONS: string[] = [];
for (const [code, reason] of Object.entries(STATUS_CODES)) if (reason !== undefined) REASONS[Number(code)] = reason;
const statusLines: string[] = [];

/** "HTTP/1.1 <status> <reason>\r\n"; cached for the standard reason phrase. */
export function statusLine(status: number, reason: string): string {
  const standard = REASONS[status] ?? 'Unknown';
  if (reason !== '' && reason !== standard) return `HTTP/1.1 ${status} ${reason}\r\n`;
  let line = statusLines[status];
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${standard}\r\n`;
    statusLines[status] = line;
  }
  return line;
}

let dateLine = '';

function resetDate(): void {
  dateLine = '';
}

/** "date: <IMF-fixdate>\r\n", recomputed at most once per second. */
export function dateField(): string {
  if (dateLine === '') {
    const now = new Date();
    dateLine = `date: ${now.toUTCString()}\r\n`;
    setTimeout(resetDate, 1000 - now.getMilliseconds()).unref();
  }
  return dateLine;
}

/** Hop-by-hop response fields (as in http/headers.ts), by length first: most names are rejected without a compare. */
export function isHopByHop(name: string): boolean {
  switch (name.length) {
    case 2:
      return equalsIgnoreCase(name, 'te');
    case 7:
      return equalsIgnoreCase(name, 'upgrade') || equalsIgnoreCase(name, 'trailer');
    case 10:
      return equalsIgnoreCase(name, 'connection') || equalsIgnoreCase(name, 'keep-alive');
    case 14:
      return equalsIgnoreCase(name, 'http2-settings');
    case 16:
      return equalsIgnoreCase(name, 'proxy-connection');
    case 17:
      return equalsIgnoreCase(name, 'transfer-encoding');
    default:
      return false;
  }
}

/**
 * The request head sent upstream: always HTTP/1.1; Host falls back to the endpoint for HTTP/1.0 clients. Framing is
 * this hop's alone: any Content-Length in `headers` is dropped and `contentLength` (>= 0: the length the parser read;
 * -1: none) or chunked coding is written instead, so that no header edit or Connection nomination can make the
 * upstream read the body differently from the way it is sent.
 */
export function requestHead(
  method: string,
  target: string,
  headers: readonly string[],
  hostFallback: string,
  contentLength: number,
  chunked: boolean,
  upgrade: string,
): string {
  // hot path
  let s = `${method} ${target} HTTP/1.1\r\n`;
  let host = false;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    const n = name.length;
    if (n === 4 && !host && equalsIgnoreCase(name, 'host')) host = true;
    else if (n === 14 && equalsIgnoreCase(name, 'content-length')) continue;
    s += `${name}: ${headers[i + 1]!}\r\n`;
  }
  if (!host) s += `host: ${hostFallback}\r\n`;
  if (contentLength >= 0) s += `content-length: ${contentLength}\r\n`;
  else if (chunked) s += 'transfer-encoding: chunked\r\n';
  if (upgrade !== '') s += `connection: upgrade\r\nupgrade: ${upgrade}\r\n`;
  return `${s}\r\n`;
}

/** Response framing towards the client. */
export const BODY_NONE = 0;
export const BODY_LENGTH = 1;
export const BODY_CHUNKED = 2;
export const BODY_UNTIL_CLOSE = 3;

/** The upstream's fields minus hop-by-hop and Connection-nominated ones, with the plan's response edits applied. */
function editedFields(head: ResponseHead, plan: FilterPlan): string[] {
  const list: string[] = [];
  const raw = fieldList(head);
  let nominated: string[] | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 10 && equalsIgnoreCase(name, 'connection'))
      nominated = connectionTokens(raw[i + 1]!, nominated);
    if (!isHopByHop(name)) list.push(name, raw[i + 1]!);
  }
  if (nominated !== null) removeFields(list, nominated);
  if (plan.responseHeaders.length !== 0) responseHeaders(list, plan);
  return list;
}

/** The upstream's field lines as received (already validated), minus the hop-by-hop ones: a few slices, no parse. */
function keptLines(head: ResponseHead): string {
  const text = head.text;
  const hop = head.hop;
  if (hop === null) return text.slice(head.fieldsStart, head.fieldsEnd);
  let s = '';
  let from = head.fieldsStart;
  for (let k = 0; k < hop.length; k += 2) {
    s += text.slice(from, hop[k]);
    from = hop[k + 1]!;
  }
  return s + text.slice(from, head.fieldsEnd);
}

/** The field lines after Connection nominations and the plan's edits (the edits may touch Date too). */
function editedLines(head: ResponseHead, plan: FilterPlan): string {
  const list = editedFields(head, plan);
  let s = '';
  let date = false;
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!;
    if (name.length === 4 && equalsIgnoreCase(name, 'date')) date = true;
    s += `${name}: ${list[i + 1]!}\r\n`;
  }
  return date ? s : s + dateField();
}

/**
 * The response head for the client. `framing` is BODY_*; `close` adds "connection: close"; `keepAlive10` answers an
 * HTTP/1.0 client that asked to keep the connection.
 */
export function responseHead(
  head: ResponseHead,
  plan: FilterPlan,
  framing: number,
  close: boolean,
  keepAlive10: boolean,
): string {
  // hot path
  let s = statusLine(head.status, head.reason);
  if (head.nominates || plan.responseHeaders.length !== 0) s += editedLines(head, plan);
  else s += head.hasDate ? keptLines(head) : keptLines(head) + dateField();
  if (framing === BODY_CHUNKED) s += 'transfer-encoding: chunked\r\n';
  if (close) s += 'connection: close\r\n';
  else if (keepAlive10) s += 'connection: keep-alive\r\n';
  return `${s}\r\n`;
}

/** The head of a 101 answer: the upstream's fields, keeping Connection and Upgrade (they are the answer). */
export function upgradeHead(head: ResponseHead): string {
  let s = statusLine(101, head.reason);
  const raw = fieldList(head);
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const keep = equalsIgnoreCase(name, 'connection') || equalsIgnoreCase(name, 'upgrade') || !isHopByHop(name);
    if (keep) s += `${name}: ${raw[i + 1]!}\r\n`;
  }
  return `${s}\r\n`;
}

/** A response the proxy makes itself: `fields` (flat) plus framing, Connection and Date; `body` omitted for HEAD. */
export function localResponse(
  status: number,
  fields: readonly string[],
  body: string,
  close: boolean,
  keepAlive10: boolean,
  isHead: boolean,
): string {
  let s = statusLine(status, '');
  for (let i = 0; i < fields.length; i += 2) s += `${fields[i]!}: ${fields[i + 1]!}\r\n`;
  s += `content-length: ${body.length}\r\n${dateField()}`;
  if (close) s += 'connection: close\r\n';
  else if (keepAlive10) s += 'connection: keep-alive\r\n';
  return isHead ? `${s}\r\n` : `${s}\r\n${body}`;
}

/** The bare answer to a request that could not be parsed (or came too slowly): the connection closes after it. */
export function rejectResponse(status: number): string {
  return `${statusLine(status, '')}connection: close\r\ncontent-length: 0\r\n\r\n`;
}
