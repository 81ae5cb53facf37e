/**
 * Differential fuzzing of the raw engine's request-head parser against Node's own (llhttp, strict mode, behind a
 * node:http server on a real socket). 2,000 request heads, generated from a seeded grammar and then mutated byte by
 * byte, go to both. Wherever both accept, the method, target, version and every field (name and trimmed value, in
 * order) must be equal. The raw parser may reject what Node accepts only for a reason listed in STRICTER (each a rule
 * it enforces on purpose); it must never accept what Node rejects.
 */

import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { mulberry32 } from '../../lib/prng.ts';
import { DEFAULT_LIMITS } from '../http/limits.ts';
import { findHeadEnd, hasBareLF, parseRequestHead, RequestHead, skipEmptyLines } from './parser.ts';

/** ARCHWAY_FUZZ_CASES / ARCHWAY_FUZZ_SEED override the defaults for longer local runs; CI uses the fixed ones. */
const CASES = Number(process.env.ARCHWAY_FUZZ_CASES ?? 2000);
const SEED = Number(process.env.ARCHWAY_FUZZ_SEED ?? 0x5eed1);
const PARALLEL = 32;

const prng = mulberry32;

const METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'QUERY', 'get', 'FOO', 'CONNECT'];
const GOOD_METHODS = 8;
const TARGETS = ['/', '/a/b?c=d', '/%2e%2e/x', 'http://h.example/p?q', '/~u/"x"', '/a#f', '//x', '/{}|^`', '*', 'h:80'];
const GOOD_TARGETS = 8;
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.01'];
const GOOD_VERSIONS = 2;
const NAMES = ['Accept', 'User-Agent', 'Cookie', 'X-Custom', 'x_under', 'X.Dot', "X-!#$%&'*+-.^_`|~"];
/** Fields that matter to framing and routing, each with values that are valid for it. */
const SPECIAL: Readonly<Record<string, readonly string[]>> = {
  Host: ['example.com', 'a.example:8080'],
  'Content-Length': ['0', '5', '0012'],
  'Transfer-Encoding': ['chunked', 'Chunked'],
  Connection: ['close', 'keep-alive', 'Upgrade', 'x-a, close'],
  Expect: ['100-continue'],
  Upgrade: ['websocket'],
  TE: ['trailers'],
};
const VALUES = [
  'example.com',
  'a.example:8080',
  '0',
  '5',
  '0012',
  '+5',
  '5, 5',
  '99999999999999999',
  'chunked',
  'Chunked',
  'gzip, chunked',
  'chunked, identity',
  'close',
  'keep-alive',
  'Upgrade',
  '100-continue',
  'websocket',
  'text/html; q=0.9',
  'caf\xe9 \xff',
  '',
  'a\tb',
];
const OWS = ['', ' ', '  ', '\t', ' \t '];
/** Bytes that matter to HTTP framing, for the mutations. */
const INTERESTING = [0x00, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x22, 0x2c, 0x3a, 0x3b, 0x7f, 0x80, 0xff, 0x41];

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
/** Mostly (90%) one of the first `good` entries, else any. */
const mostly = <T>(r: Rand, list: readonly T[], good: number): T =>
  r() < 0.9 ? pick(r, list.slice(0, good)) : pick(r, list);

function generate(r: Rand): string {
  const host = r() < 0.9;
  let s = `${mostly(r, METHODS, GOOD_METHODS)} ${mostly(r, TARGETS, GOOD_TARGETS)} ${mostly(r, VERSIONS, GOOD_VERSIONS)}\r\n`;
  const fields: string[] = [];
  if (host) fields.push(`Host: ${pick(r, ['example.com', 'a.example:8080', ''])}`);
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const special = r() < 0.3;
    const name = special ? pick(r, Object.keys(SPECIAL)) : pick(r, NAMES);
    const value = special && r() < 0.7 ? pick(r, SPECIAL[name]!) : pick(r, VALUES);
    fields.push(`${name}:${pick(r, OWS)}${value}${pick(r, OWS)}`);
  }
  for (const f of fields.sort(() => r() - 0.5)) s += `${f}\r\n`;
  return r() < 0.05 ? `\r\n${s}\r\n` : `${s}\r\n`;
}

function mutate(r: Rand, s: string): string {
  const at = Math.floor(r() * s.length);
  const byte = String.fromCharCode(pick(r, INTERESTING));
  switch (Math.floor(r() * 6)) {
    case 0:
      return s.slice(0, at) + byte + s.slice(at);
    case 1:
      return s.slice(0, at) + s.slice(at + 1);
    case 2:
      return s.slice(0, at) + byte + s.slice(at + 1);
    case 3:
      return s.replace('\r\n', r() < 0.5 ? '\n' : '\r');
    case 4:
      return s.replace(/\r\n(?=[^\r])/, '\r\n ');
    default: {
      const lines = s.split('\r\n');
      const i = 1 + Math.floor(r() * Math.max(1, lines.length - 3));
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\r\n');
    }
  }
}

interface Parsed {
  readonly method: string;
  readonly url: string;
  readonly version: string;
  readonly headers: readonly string[];
}

/** The raw engine's verdict on one complete input, as its connection reads it: a parse, or a rejection. */
function rawParse(input: string): Parsed | null {
  const buf = Buffer.from(input, 'latin1');
  const off = skipEmptyLines(buf, 0, buf.length);
  const end = findHeadEnd(buf, off, buf.length);
  if (end < 0 || hasBareLF(buf, off, end) || end - off > DEFAULT_LIMITS.maxHeaderBytes) return null;
  const head = new RequestHead();
  if (parseRequestHead(buf.toString('latin1', off, end), DEFAULT_LIMITS.maxHeaderCount, head) !== 0) return null;
  const version = head.version === 11 ? '1.1' : '1.0';
  return { method: head.method, url: head.target, version, headers: head.headers };
}

/** Node's verdict: the server answers every parsed request with what it parsed; anything else is a rejection. */
function nodeParse(port: number, input: string): Promise<Parsed | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      data += d;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const encoded = /\r\nx-parsed: ([^\r]*)/.exec(data)?.[1];
      resolve(encoded === undefined ? null : (JSON.parse(Buffer.from(encoded, 'base64').toString('latin1')) as Parsed));
    });
    socket.end(Buffer.from(input, 'latin1'));
  });
}

const fieldValues = (p: Parsed, name: string): string[] =>
  p.headers.filter((_, i) => i % 2 === 1 && p.headers[i - 1]!.toLowerCase() === name);

/** Rules the raw parser enforces beyond llhttp: a divergence "raw rejects, Node accepts" must match one. */
const STRICTER: readonly [string, (node: Parsed, input: string) => boolean][] = [
  ['only HTTP/1.0 and HTTP/1.1', (n) => n.version !== '1.1' && n.version !== '1.0'],
  ['one Host field', (n) => fieldValues(n, 'host').length > 1],
  [
    'Transfer-Encoding is exactly "chunked", once, and not in HTTP/1.0',
    (n) => {
      const te = fieldValues(n, 'transfer-encoding');
      return te.length > 0 && (te.length > 1 || te[0]!.toLowerCase() !== 'chunked' || n.version === '1.0');
    },
  ],
  ['origin-form or http(s) absolute-form only', (n) => n.url[0] !== '/' && !/^https?:\/\/[^/?@]+([/?]|$)/i.test(n.url)],
  [
    'one Expect field, exactly 100-continue',
    (n) => {
      const expect = fieldValues(n, 'expect');
      return (
        n.version === '1.1' && expect.length > 0 && (expect.length > 1 || expect[0]!.toLowerCase() !== '100-continue')
      );
    },
  ],
  ['Content-Length has at most 15 digits', (n) => fieldValues(n, 'content-length').some((v) => v.length > 15)],
  ['single spaces in the request line', (_n, input) => /^(\r\n)*[^\r\n]*( {2}|\t)/.test(input)],
  ['no bare CR or LF, even before the request line', (_n, input) => /^(\r\n)*(\n|\r(?!\n))/.test(input)],
];

describe('differential fuzz: raw request-head parser vs llhttp', () => {
  let server: http.Server;
  let port: number;
  before(async () => {
    server = http.createServer({ requireHostHeader: true, insecureHTTPParser: false, joinDuplicateHeaders: false });
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const parsed: Parsed = { method: req.method!, url: req.url!, version: req.httpVersion, headers: req.rawHeaders };
      // In a header (HEAD responses have no body), base64 so that any byte survives.
      res.writeHead(200, {
        connection: 'close',
        'x-parsed': Buffer.from(JSON.stringify(parsed), 'latin1').toString('base64'),
      });
      res.end();
    });
    server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it(`agrees with Node on ${CASES} seeded request heads`, { timeout: 60_000 }, async (t) => {
    const r = prng(SEED);
    const inputs: string[] = [];
    for (let i = 0; i < CASES; i++) {
      let s = generate(r);
      const mutations = i % 2 === 0 ? 0 : 1 + Math.floor(r() * 2);
      for (let m = 0; m < mutations; m++) s = mutate(r, s);
      inputs.push(s);
    }
    const tally = { bothAccept: 0, bothReject: 0, stricter: new Map<string, number>() };
    const problems: string[] = [];
    for (let i = 0; i < inputs.length; i += PARALLEL) {
      const batch = inputs.slice(i, i + PARALLEL);
      const nodes = await Promise.all(batch.map((input) => nodeParse(port, input)));
      batch.forEach((input, k) => {
        const raw = rawParse(input);
        const node = nodes[k]!;
        if (raw === null && node === null) tally.bothReject++;
        else if (raw !== null && node !== null) {
          tally.bothAccept++;
          if (JSON.stringify(raw) !== JSON.stringify(node))
            problems.push(`parsed differently: ${JSON.stringify(input)}`);
        } else if (raw !== null) problems.push(`raw accepts what Node rejects: ${JSON.stringify(input)}`);
        else {
          const reason = STRICTER.find(([, applies]) => applies(node!, input))?.[0];
          if (reason === undefined) problems.push(`raw rejects what Node accepts: ${JSON.stringify(input)}`);
          else tally.stricter.set(reason, (tally.stricter.get(reason) ?? 0) + 1);
        }
      });
    }
    assert.deepEqual(problems.slice(0, 20), []);
    t.diagnostic(JSON.stringify({ ...tally, stricter: Object.fromEntries(tally.stricter) }));
    // The corpus must exercise both outcomes, or the comparison proves nothing.
    assert.ok(tally.bothAccept > CASES / 5, `both accepted only ${tally.bothAccept}`);
    assert.ok(tally.bothReject > CASES / 5, `both rejected only ${tally.bothReject}`);
  });
});
