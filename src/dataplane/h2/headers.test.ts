import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseResponseHead, ResponseHead } from '../h1/parser.ts';
import { EMPTY_PLAN } from '../http/plan.ts';
import type { FilterPlan } from '../http/table.ts';
import { joinRepeated, localFields, readRequest, responseFields } from './headers.ts';

function upstream(text: string): ResponseHead {
  const head = new ResponseHead();
  assert.equal(parseResponseHead(text, 100, head), 0);
  return head;
}

const PSEUDO = [':method', 'POST', ':scheme', 'https', ':path', '/p?q', ':authority', 'a.example.com:8443'];

describe('readRequest', () => {
  it('maps pseudo-header fields: Host first from :authority, none forwarded', () => {
    const r = readRequest([...PSEUDO, 'x-a', '1', 'content-length', '12']);
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/p?q');
    assert.deepEqual(r.fields, ['host', 'a.example.com:8443', 'x-a', '1', 'content-length', '12']);
    assert.equal(r.contentLength, 12);
    assert.equal(r.error, null);
  });

  it('joins cookie crumbs with "; " (RFC 9113 8.2.3)', () => {
    const r = readRequest([...PSEUDO, 'cookie', 'a=1', 'x', 'y', 'cookie', 'b=2']);
    assert.deepEqual(r.fields, ['host', 'a.example.com:8443', 'x', 'y', 'cookie', 'a=1; b=2']);
  });

  it('keeps a Host that agrees with :authority once, and rejects one that does not', () => {
    assert.deepEqual(readRequest([...PSEUDO, 'host', 'A.example.com:8443']).fields, ['host', 'a.example.com:8443']);
    assert.equal(readRequest([...PSEUDO, 'host', 'b.example.com']).error, 'ARCHWAY_ERR_BAD_HOST');
    const hostOnly = readRequest([':method', 'GET', ':scheme', 'https', ':path', '/', 'host', 'h.example']);
    assert.deepEqual(hostOnly.fields, ['host', 'h.example']);
  });

  it('notes Expect: 100-continue and refuses a Content-Length that is not a number', () => {
    assert.equal(readRequest([...PSEUDO, 'expect', '100-Continue']).expectContinue, true);
    assert.equal(readRequest([...PSEUDO, 'content-length', '1e3']).error, 'ARCHWAY_ERR_BAD_REQUEST');
    assert.equal(readRequest(PSEUDO).contentLength, -1);
  });
});

describe('responseFields', () => {
  it('drops connection-specific fields and those Connection nominates; keeps the rest as sent', () => {
    const head = upstream(
      'HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nKeep-Alive: timeout=5\r\nX-Hop: 1\r\n' +
        'Transfer-Encoding: chunked\r\nTE: trailers\r\nUpgrade: h2c\r\nProxy-Connection: x\r\nX-Kept: yes\r\n\r\n',
    );
    assert.deepEqual(responseFields(head, EMPTY_PLAN), [':status', '200', 'X-Kept', 'yes']);
  });

  it('keeps :status even when Connection names it', () => {
    const head = upstream('HTTP/1.1 404 Not Found\r\nConnection: :status, x\r\nx: 1\r\ncontent-length: 0\r\n\r\n');
    assert.deepEqual(responseFields(head, EMPTY_PLAN), [':status', '404', 'content-length', '0']);
  });

  it('applies the response header edits, and drops connection-specific fields they add', () => {
    const plan: FilterPlan = {
      ...EMPTY_PLAN,
      responseHeaders: [
        { set: [{ name: 'connection', value: 'close' }], add: [{ name: 'x-add', value: 'a' }], remove: ['x-gone'] },
      ],
    };
    const head = upstream('HTTP/1.1 200 OK\r\nx-gone: 1\r\nx-add: z\r\n\r\n');
    assert.deepEqual(responseFields(head, plan), [':status', '200', 'x-add', 'z,a']);
  });
});

describe('localFields and joinRepeated', () => {
  it('a local response head: status, fields, Content-Length', () => {
    assert.deepEqual(localFields(302, ['location', '/x', 'upgrade', 'no'], 0), [
      ':status',
      '302',
      'location',
      '/x',
      'content-length',
      '0',
    ]);
  });

  it('joins repeats of a field except Set-Cookie; identical repeats are sent once', () => {
    const list = [':status', '200', 'Content-Type', 'a', 'content-type', 'b', 'set-cookie', 'x', 'set-cookie', 'y'];
    assert.deepEqual(joinRepeated([...list, 'content-length', '2', 'Content-Length', '2']), [
      ':status',
      '200',
      'content-type',
      'a, b',
      'set-cookie',
      'x',
      'set-cookie',
      'y',
      'content-length',
      '2',
    ]);
  });
});
