/**
 * The request-smuggling corpus of the raw engine, over real sockets: each case is sent on a fresh connection and must
 * produce exactly the statuses, connection state and forwarded requests listed. A rejected request never reaches the
 * backend and ends the connection, so nothing after it can be read as another request.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Dataplane } from '../dataplane.ts';
import { exchangeRaw } from '../testing/client.ts';
import { type Echoed, type EchoServer, startEcho } from '../testing/echo.ts';
import { backend, cluster, listener, route, vhost } from '../testing/ir.ts';

interface Case {
  readonly name: string;
  readonly bytes: string;
  /** Statuses the client receives, in order. */
  readonly statuses: readonly number[];
  /** Whether the proxy closes the connection after them (always, after a rejection). */
  readonly closed: boolean;
  /** Bodies of the requests the backend received in full, in order. */
  readonly forwarded: readonly string[];
  readonly check?: (seen: readonly Echoed[]) => void;
}

const HEAD = 'POST / HTTP/1.1\r\nHost: a\r\n';
const rejected = (name: string, bytes: string, status = 400): Case => ({
  name,
  bytes,
  statuses: [status],
  closed: true,
  forwarded: [],
});
const accepted = (name: string, bytes: string, forwarded: string, check?: Case['check']): Case => ({
  name,
  bytes,
  statuses: [200],
  closed: false,
  forwarded: [forwarded],
  ...(check === undefined ? {} : { check }),
});
const chunkedBody = (body: string) => `${HEAD}Transfer-Encoding: chunked\r\n\r\n${body}`;

const framing: Case[] = [
  rejected(
    'CL.TE: Content-Length then Transfer-Encoding',
    `${HEAD}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX`,
  ),
  rejected(
    'TE.CL: Transfer-Encoding then Content-Length',
    `${HEAD}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n`,
  ),
  rejected(
    'CL.TE with Transfer-Encoding in another case',
    `${HEAD}Content-Length: 5\r\ntransfer-encoding: Chunked\r\n\r\n0\r\n\r\n`,
  ),
  rejected('two equal Content-Length fields', `${HEAD}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello`),
  rejected('two different Content-Length fields', `${HEAD}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`),
  rejected('Content-Length list', `${HEAD}Content-Length: 5, 5\r\n\r\nhello`),
  rejected('Content-Length with a plus sign', `${HEAD}Content-Length: +5\r\n\r\nhello`),
  rejected('negative Content-Length', `${HEAD}Content-Length: -1\r\n\r\n`),
  rejected('hexadecimal Content-Length', `${HEAD}Content-Length: 0x5\r\n\r\nhello`),
  rejected('Content-Length with inner space', `${HEAD}Content-Length: 1 0\r\n\r\nhello`),
  rejected('overflowing Content-Length', `${HEAD}Content-Length: 99999999999999999999\r\n\r\n`),
  rejected('empty Content-Length', `${HEAD}Content-Length: \r\n\r\n`),
  accepted('Content-Length with surrounding whitespace', `${HEAD}Content-Length:  5 \t\r\n\r\nhello`, 'hello'),
  accepted(
    'Content-Length with leading zeros is re-sent canonical',
    `${HEAD}Content-Length: 005\r\n\r\nhello`,
    'hello',
    (s) => assert.equal(s[0]!.headers['content-length'], '5'),
  ),
  accepted(
    'Connection cannot nominate Content-Length away',
    `${HEAD}Connection: content-length\r\nContent-Length: 5\r\n\r\nhello`,
    'hello',
    (s) => assert.equal(s[0]!.headers['content-length'], '5'),
  ),
];

const transferEncoding: Case[] = [
  rejected('TE xchunked', `${HEAD}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n`),
  rejected('TE chunked, identity', `${HEAD}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`),
  rejected('TE identity, chunked', `${HEAD}Transfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n`),
  rejected(
    'TE gzip, chunked (only chunked alone is accepted)',
    `${HEAD}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
  ),
  rejected('TE quoted', `${HEAD}Transfer-Encoding: "chunked"\r\n\r\n0\r\n\r\n`),
  rejected('TE with a parameter', `${HEAD}Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n`),
  rejected(
    'two Transfer-Encoding fields',
    `${HEAD}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  ),
  rejected('TE with whitespace before the colon', `${HEAD}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n`),
  rejected('TE as an obs-fold continuation', `${HEAD}X: y\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`),
  rejected('TE with a vertical tab', `${HEAD}Transfer-Encoding:\x0bchunked\r\n\r\n0\r\n\r\n`),
  rejected('TE with NUL', `${HEAD}Transfer-Encoding: chunked\x00\r\n\r\n0\r\n\r\n`),
  rejected('TE in an HTTP/1.0 request', 'POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'),
  rejected('TE identity alone', `${HEAD}Transfer-Encoding: identity\r\n\r\n`),
  accepted(
    'TE with leading whitespace is chunked',
    `${HEAD}Transfer-Encoding:    chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
    'hello',
  ),
  accepted('TE after a tab is chunked', `${HEAD}Transfer-Encoding:\tchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`, 'hello'),
  accepted('TE upper-case is chunked', `${HEAD}Transfer-Encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n`, 'hello'),
];

const bytes: Case[] = [
  rejected('LF-only line endings', 'GET / HTTP/1.1\nHost: a\n\n'),
  rejected('one header line ended by LF', 'GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n'),
  rejected('bare CR inside a value', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n'),
  rejected('bare CR as a line ending', 'GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n'),
  rejected('NUL in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n'),
  rejected('NUL in a name', 'GET / HTTP/1.1\r\nHost: a\r\nX\x00: b\r\n\r\n'),
  rejected('NUL in the target', 'GET /a\x00b HTTP/1.1\r\nHost: a\r\n\r\n'),
  rejected('DEL in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n'),
  rejected('whitespace before the colon', 'GET / HTTP/1.1\r\nHost: a\r\nX : b\r\n\r\n'),
  rejected('empty field name', 'GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n'),
  rejected('obs-fold', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n'),
  rejected('non-token character in a name', 'GET / HTTP/1.1\r\nHost: a\r\nX@Y: b\r\n\r\n'),
  rejected('a field line without a colon', 'GET / HTTP/1.1\r\nHost: a\r\nX-No-Colon\r\n\r\n'),
  accepted(
    'obs-text in a value is passed on',
    'POST / HTTP/1.1\r\nHost: a\r\nX: caf\xe9\r\nContent-Length: 0\r\n\r\n',
    '',
  ),
];

const requestLine: Case[] = [
  rejected('two spaces after the method', 'GET  / HTTP/1.1\r\nHost: a\r\n\r\n'),
  rejected('a space after the version', 'GET / HTTP/1.1 \r\nHost: a\r\n\r\n'),
  rejected('tab as a separator', 'GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n'),
  rejected('lower-case protocol name', 'GET / http/1.1\r\nHost: a\r\n\r\n'),
  rejected('HTTP/1.2', 'GET / HTTP/1.2\r\nHost: a\r\n\r\n', 505),
  rejected('HTTP/2.0', 'GET / HTTP/2.0\r\nHost: a\r\n\r\n', 505),
  rejected('HTTP/0.9 version', 'GET / HTTP/0.9\r\nHost: a\r\n\r\n', 505),
  rejected('no version', 'GET /\r\nHost: a\r\n\r\n'),
  rejected('lower-case method', 'get / HTTP/1.1\r\nHost: a\r\n\r\n'),
  rejected('unknown method', 'FOO / HTTP/1.1\r\nHost: a\r\n\r\n'),
  rejected('CONNECT (authority-form) is not proxied', 'CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n'),
  rejected('asterisk-form', 'OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n'),
  rejected('authority-form with GET', 'GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n'),
  rejected('fragment in the target', 'GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n'),
  rejected('obs-text in the target', 'GET /caf\xe9 HTTP/1.1\r\nHost: a\r\n\r\n'),
  rejected('missing Host', 'GET / HTTP/1.1\r\n\r\n'),
  rejected('two Host fields', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'),
  rejected('Host with a space', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n'),
  rejected('Host with userinfo', 'GET / HTTP/1.1\r\nHost: u@a\r\n\r\n'),
  rejected('unsupported expectation', 'GET / HTTP/1.1\r\nHost: a\r\nExpect: bogus\r\n\r\n', 417),
  {
    name: 'absolute-form: the target authority replaces Host',
    bytes: 'GET http://Other.Example:8080/x?q HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n',
    statuses: [200],
    closed: false,
    forwarded: [''],
    check: (s) => {
      assert.equal(s[0]!.url, '/x?q');
      assert.equal(s[0]!.headers.host, 'Other.Example:8080');
    },
  },
  {
    name: 'HTTP/1.0 without Host, closed after the response',
    bytes: 'POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi',
    statuses: [200],
    closed: true,
    forwarded: ['hi'],
  },
];

const chunks: Case[] = [
  rejected('chunk-size followed by a space', chunkedBody('5 \r\nhello\r\n0\r\n\r\n')),
  rejected('chunk-size preceded by a space', chunkedBody(' 5\r\nhello\r\n0\r\n\r\n')),
  rejected('chunk-size of 17 hex digits', chunkedBody('00000000000000005\r\nhello\r\n0\r\n\r\n')),
  rejected('chunk-size over 2^40', chunkedBody('fffffffffff\r\nhello\r\n0\r\n\r\n')),
  rejected('chunk-size with 0x', chunkedBody('0x5\r\nhello\r\n0\r\n\r\n')),
  rejected('negative chunk-size', chunkedBody('-5\r\nhello\r\n0\r\n\r\n')),
  rejected('empty chunk-size', chunkedBody('\r\nhello\r\n0\r\n\r\n')),
  rejected('no CRLF after chunk data', chunkedBody('5\r\nhelloX\r\n0\r\n\r\n')),
  rejected('chunk data longer than its size', chunkedBody('3\r\nhello\r\n0\r\n\r\n')),
  rejected('LF-only chunk lines', chunkedBody('5\nhello\n0\n\n')),
  rejected('chunk extension over 1 KiB', chunkedBody(`5;a=${'b'.repeat(1100)}\r\nhello\r\n0\r\n\r\n`)),
  rejected('bare LF in a chunk extension', chunkedBody('5;a\nb\r\nhello\r\n0\r\n\r\n')),
  rejected('control byte in a chunk extension', chunkedBody('5;a\x01\r\nhello\r\n0\r\n\r\n')),
  rejected('obs-fold in the trailer section', chunkedBody('5\r\nhello\r\n0\r\nX: a\r\n b\r\n\r\n')),
  rejected('bare LF ending the trailer section', chunkedBody('5\r\nhello\r\n0\r\n\n')),
  accepted('chunk extensions are allowed and dropped', chunkedBody('5;a=b;c="d e"\r\nhello\r\n0\r\n\r\n'), 'hello'),
  accepted('trailer fields are dropped', chunkedBody('5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n'), 'hello', (s) =>
    assert.equal(s[0]!.headers['x-trailer'], undefined),
  ),
  accepted('upper-case hex and leading zeros', chunkedBody('0A\r\n0123456789\r\n0\r\n\r\n'), '0123456789'),
];

const connection: Case[] = [
  {
    name: 'pipelined requests are answered in order',
    bytes: 'GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n',
    statuses: [200, 200],
    closed: false,
    forwarded: ['', ''],
    check: (s) =>
      assert.deepEqual(
        s.map((e) => e.url),
        ['/one', '/two'],
      ),
  },
  {
    name: 'bytes beyond Content-Length are the next request',
    bytes: `${HEAD}Content-Length: 5\r\n\r\nhelloGET /next HTTP/1.1\r\nHost: a\r\n\r\n`,
    statuses: [200, 200],
    closed: false,
    forwarded: ['hello', ''],
  },
  rejected(
    'after a rejection nothing else is parsed',
    `GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n`,
  ),
  rejected('more fields than allowed', `GET / HTTP/1.1\r\nHost: a\r\n${'X: y\r\n'.repeat(120)}\r\n`, 431),
  rejected('a head larger than allowed', `GET / HTTP/1.1\r\nHost: a\r\nX: ${'y'.repeat(17 * 1024)}\r\n\r\n`, 431),
];

describe('request smuggling corpus (raw engine)', () => {
  let echo: EchoServer;
  let dp: Dataplane;
  let port: number;
  before(async () => {
    echo = await startEcho('a');
    dp = new Dataplane({ engine: 'raw' });
    await dp.apply({
      clusters: [cluster('a', [echo.port])],
      listeners: [listener(0, [vhost('v', null, [route('r', { backends: [backend('a')] })])])],
    });
    port = dp.listenerAddress('127.0.0.1:0')!.port;
  });
  after(async () => {
    await dp.close();
    await echo.close();
  });

  for (const [group, cases] of Object.entries({ framing, transferEncoding, bytes, requestLine, chunks, connection })) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, async () => {
          const before = echo.seen.length;
          // Waiting for one response more than expected also waits for the close when the case expects one.
          const result = await exchangeRaw(port, c.bytes, c.statuses.length + (c.closed ? 1 : 0));
          assert.deepEqual(
            result.responses.map((r) => r.status),
            c.statuses,
          );
          assert.equal(result.closed, c.closed);
          const seen = echo.seen.slice(before);
          assert.deepEqual(
            seen.map((e) => e.body),
            c.forwarded,
          );
          c.check?.(seen);
        });
      }
    });
  }
});
