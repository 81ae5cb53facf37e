import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkedDecoder, type ChunkSink } from './chunked.ts';
import {
  findHeadEnd,
  hasBareLF,
  parseRequestHead,
  parseResponseHead,
  RequestHead,
  ResponseHead,
  skipEmptyLines,
} from './parser.ts';

function request(s: string, maxFields = 100): [number, RequestHead] {
  const head = new RequestHead();
  return [parseRequestHead(s, maxFields, head), head];
}

function response(s: string): [number, ResponseHead] {
  const head = new ResponseHead();
  return [parseResponseHead(s, 100, head), head];
}

describe('parseRequestHead', () => {
  it('reads the request line and fields, trimming values and keeping name case', () => {
    const [status, head] = request('PUT /a?b=c HTTP/1.1\r\nHost: x\r\nX-Multi:  a b \t\r\nEmpty:\r\n\r\n');
    assert.equal(status, 0);
    assert.equal(head.method, 'PUT');
    assert.equal(head.target, '/a?b=c');
    assert.equal(head.version, 11);
    assert.deepEqual(head.headers, ['Host', 'x', 'X-Multi', 'a b', 'Empty', '']);
    assert.equal(head.keepAlive, true);
  });

  it('interns known methods (routes compare them by reference)', () => {
    const [, head] = request('DELETE / HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(head.method, 'DELETE');
  });

  it('decides keep-alive from the version and Connection tokens', () => {
    assert.equal(request('GET / HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive, CLOSE\r\n\r\n')[1].keepAlive, false);
    assert.equal(request('GET / HTTP/1.0\r\n\r\n')[1].keepAlive, false);
    assert.equal(request('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')[1].keepAlive, true);
    const [, up] = request('GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade, x-other\r\nUpgrade: websocket\r\n\r\n');
    assert.equal(up.upgradeToken, true);
    assert.equal(up.nominates, true);
    assert.equal(up.upgrade, 'websocket');
  });

  it('reads framing: Content-Length, chunked, Expect', () => {
    assert.equal(request('POST / HTTP/1.1\r\nHost: x\r\ncontent-LENGTH: 0012\r\n\r\n')[1].contentLength, 12);
    assert.equal(request('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n')[1].chunked, true);
    assert.equal(request('POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\n\r\n')[1].expectContinue, true);
    assert.equal(request('POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n')[1].expectContinue, false);
  });

  it('answers 505 to other HTTP versions and 400 to anything else', () => {
    assert.equal(request('GET / HTTP/1.2\r\nHost: x\r\n\r\n')[0], 505);
    assert.equal(request('GET / HTTP/3.0\r\nHost: x\r\n\r\n')[0], 505);
    assert.equal(request('GET / HTTP/1.10\r\nHost: x\r\n\r\n')[0], 400);
    assert.equal(request('GET / HTTPS/1.1\r\nHost: x\r\n\r\n')[0], 400);
  });

  it('answers 431 beyond the field count and 417 to unknown expectations', () => {
    const fields = Array.from({ length: 5 }, (_, i) => `X-${i}: v\r\n`).join('');
    assert.equal(request(`GET / HTTP/1.1\r\nHost: x\r\n${fields}\r\n`, 6)[0], 0);
    assert.equal(request(`GET / HTTP/1.1\r\nHost: x\r\n${fields}\r\n`, 5)[0], 431);
    assert.equal(request('GET / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n')[0], 417);
  });

  it('rejects every byte outside its class', () => {
    for (let c = 0; c < 256; c++) {
      const ch = String.fromCharCode(c);
      const inValue = request(`GET / HTTP/1.1\r\nHost: x\r\nX: a${ch}b\r\n\r\n`)[0];
      assert.equal(inValue === 0, c === 9 || (c >= 32 && c !== 127), `value byte ${c}`);
      const inTarget = request(`GET /a${ch}b HTTP/1.1\r\nHost: x\r\n\r\n`)[0];
      assert.equal(inTarget === 0, c > 32 && c < 127, `target byte ${c}`);
    }
  });
});

describe('parseResponseHead', () => {
  it('reads status, reason and framing', () => {
    const [status, head] = response('HTTP/1.1 404 Not Here\r\nContent-Length: 3\r\nConnection: close\r\n\r\n');
    assert.equal(status, 0);
    assert.equal(head.status, 404);
    assert.equal(head.reason, 'Not Here');
    assert.equal(head.contentLength, 3);
    assert.equal(head.keepAlive, false);
  });

  it('accepts an empty reason with or without its space; HTTP/1.0 closes unless keep-alive', () => {
    assert.equal(response('HTTP/1.1 204\r\n\r\n')[1].status, 204);
    assert.equal(response('HTTP/1.1 200 \r\n\r\n')[1].reason, '');
    assert.equal(response('HTTP/1.0 200 OK\r\n\r\n')[1].keepAlive, false);
  });

  it('rejects malformed or ambiguous responses', () => {
    for (const bad of [
      'HTTP/1.1 20 OK\r\n\r\n',
      'HTTP/1.1 600 X\r\n\r\n',
      'HTTP/2 200 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n',
      'HTTP/1.1 200 O\x00K\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n',
    ]) {
      assert.notEqual(response(bad)[0], 0, JSON.stringify(bad));
    }
  });
});

describe('head boundaries', () => {
  const buf = (s: string) => Buffer.from(s, 'latin1');
  it('finds the end of a head and skips leading empty lines', () => {
    assert.equal(findHeadEnd(buf('GET / HTTP/1.1\r\n\r\nrest'), 0, 22), 18);
    assert.equal(findHeadEnd(buf('GET / HTTP/1.1\r\n\r'), 0, 17), -1);
    assert.equal(skipEmptyLines(buf('\r\n\r\nGET'), 0, 7), 4);
    assert.equal(skipEmptyLines(buf('\r\nX'), 0, 3), 2);
  });

  it('spots a bare LF in an incomplete head', () => {
    assert.equal(hasBareLF(buf('GET / HTTP/1.1\nHost'), 0, 19), true);
    assert.equal(hasBareLF(buf('GET / HTTP/1.1\r\nHost'), 0, 20), false);
    assert.equal(hasBareLF(buf('\nGET'), 0, 4), true);
  });
});

class Collect implements ChunkSink {
  data = '';
  stopAfter = Number.POSITIVE_INFINITY;
  onChunkData(buf: Buffer, start: number, end: number): boolean {
    this.data += buf.toString('latin1', start, end);
    return --this.stopAfter > 0;
  }
}

function decodeAll(input: string, split: number[] = []): { data: string; done: boolean; failed: boolean } {
  const d = new ChunkedDecoder(1024);
  const sink = new Collect();
  const bytes = Buffer.from(input, 'latin1');
  const cuts = [0, ...split, bytes.length];
  for (let i = 0; i + 1 < cuts.length; i++) {
    let off = cuts[i]!;
    while (off < cuts[i + 1]! && !d.done && !d.failed) off = d.decode(bytes, off, cuts[i + 1]!, sink);
  }
  return { data: sink.data, done: d.done, failed: d.failed };
}

describe('ChunkedDecoder', () => {
  const body = '5\r\nhello\r\n1;ext="x y"\r\n \r\nC\r\n hello world\r\n0\r\nTrailer: t\r\n\r\n';

  it('decodes chunks, extensions and trailers', () => {
    assert.deepEqual(decodeAll(body), { data: 'hello  hello world', done: true, failed: false });
  });

  it('gives the same result whatever the split points', () => {
    for (let a = 1; a < body.length; a++) {
      assert.deepEqual(decodeAll(body, [a]), { data: 'hello  hello world', done: true, failed: false }, `cut ${a}`);
    }
  });

  it('stops where the sink asks and resumes from the returned index', () => {
    const d = new ChunkedDecoder(1024);
    const sink = new Collect();
    sink.stopAfter = 1;
    const bytes = Buffer.from('2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n', 'latin1');
    const off = d.decode(bytes, 0, bytes.length, sink);
    assert.equal(sink.data, 'ab');
    assert.equal(off, 5);
    sink.stopAfter = Number.POSITIVE_INFINITY;
    d.decode(bytes, off, bytes.length, sink);
    assert.equal(sink.data, 'abcd');
    assert.equal(d.done, true);
  });

  it('stops at the end of the coding (what follows is the next message)', () => {
    const d = new ChunkedDecoder(1024);
    const bytes = Buffer.from('0\r\n\r\nGET', 'latin1');
    assert.equal(d.decode(bytes, 0, bytes.length, new Collect()), 5);
    assert.equal(d.done, true);
  });

  it('fails on malformed framing and oversize trailers', () => {
    for (const bad of [
      '5 \r\nhello\r\n',
      'g\r\n',
      '5\r\nhelloXX',
      '5\r\nhello\n',
      `0\r\nX: ${'y'.repeat(2000)}\r\n\r\n`,
    ]) {
      assert.equal(decodeAll(bad).failed, true, JSON.stringify(bad));
    }
  });
});
