import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_PLAN } from '../http/plan.ts';
import type { FilterPlan } from '../http/table.ts';
import {
  BODY_CHUNKED,
  BODY_LENGTH,
  BODY_NONE,
  localResponse,
  requestHead,
  responseHead,
  statusLine,
  upgradeHead,
} from './heads.ts';
import { parseResponseHead, ResponseHead } from './parser.ts';

function upstream(text: string): ResponseHead {
  const head = new ResponseHead();
  assert.equal(parseResponseHead(text, 100, head), 0);
  return head;
}

const lines = (head: string) => head.split('\r\n');
const DATE = /^date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

describe('requestHead', () => {
  it('writes the framing the parser read, never a Content-Length from the list', () => {
    const head = requestHead('POST', '/x', ['Host', 'a', 'content-length', '99', 'X', 'y'], 'e:80', 5, false, '');
    assert.equal(head, 'POST /x HTTP/1.1\r\nHost: a\r\nX: y\r\ncontent-length: 5\r\n\r\n');
    const chunked = requestHead('POST', '/', ['Host', 'a'], 'e:80', -1, true, '');
    assert.equal(chunked, 'POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: chunked\r\n\r\n');
  });

  it('falls back to the endpoint as Host and adds the upgrade fields', () => {
    assert.equal(
      requestHead('GET', '/', [], '[::1]:8080', -1, false, 'websocket'),
      'GET / HTTP/1.1\r\nhost: [::1]:8080\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n',
    );
  });
});

describe('responseHead', () => {
  const nginx = upstream(
    'HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Sun, 22 Nov 2026 02:18:34 GMT\r\nContent-Length: 2\r\n' +
      'Connection: keep-alive\r\nKeep-Alive: timeout=5\r\nX-Last:  v \r\n\r\n',
  );

  it('forwards field lines as received, minus hop-by-hop ones, with this hop framing', () => {
    assert.equal(
      responseHead(nginx, EMPTY_PLAN, BODY_LENGTH, false, false),
      'HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Sun, 22 Nov 2026 02:18:34 GMT\r\nContent-Length: 2\r\n' +
        'X-Last:  v \r\n\r\n',
    );
    const closing = lines(responseHead(nginx, EMPTY_PLAN, BODY_CHUNKED, true, false));
    assert.deepEqual(closing.slice(-4), ['transfer-encoding: chunked', 'connection: close', '', '']);
    assert.equal(lines(responseHead(nginx, EMPTY_PLAN, BODY_NONE, false, true)).at(-3), 'connection: keep-alive');
  });

  it('adds Date when the upstream sent none', () => {
    const head = lines(responseHead(upstream('HTTP/1.1 204 No Content\r\n\r\n'), EMPTY_PLAN, BODY_NONE, false, false));
    assert.equal(head[0], 'HTTP/1.1 204 No Content');
    assert.match(head[1]!, DATE);
  });

  it('drops the fields Connection nominates, and applies response header edits', () => {
    const head = upstream('HTTP/1.1 200 OK\r\nConnection: x-secret\r\nX-Secret: s\r\nX-Set: old\r\nDate: d\r\n\r\n');
    const plan: FilterPlan = {
      ...EMPTY_PLAN,
      responseHeaders: [{ set: [{ name: 'x-set', value: 'new' }], add: [{ name: 'x-add', value: 'a' }], remove: [] }],
    };
    assert.equal(
      responseHead(head, plan, BODY_NONE, false, false),
      'HTTP/1.1 200 OK\r\nX-Set: new\r\nDate: d\r\nx-add: a\r\n\r\n',
    );
  });

  it('keeps a custom reason phrase and caches standard status lines', () => {
    assert.equal(statusLine(404, 'Nope'), 'HTTP/1.1 404 Nope\r\n');
    assert.equal(statusLine(404, ''), 'HTTP/1.1 404 Not Found\r\n');
    assert.equal(statusLine(404, 'Not Found'), statusLine(404, ''));
  });
});

describe('upgradeHead and localResponse', () => {
  it('a 101 keeps Connection and Upgrade', () => {
    const head = upstream(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nKeep-Alive: 1\r\n\r\n',
    );
    assert.equal(
      upgradeHead(head),
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
    );
  });

  it('answers HEAD without a body but with its length', () => {
    const get = localResponse(404, ['content-type', 'text/plain'], 'gone\n', true, false, false);
    const head = localResponse(404, ['content-type', 'text/plain'], 'gone\n', true, false, true);
    assert.ok(get.endsWith('connection: close\r\n\r\ngone\n'));
    assert.ok(head.endsWith('connection: close\r\n\r\n'));
    assert.match(head, /\r\ncontent-length: 5\r\n/);
  });
});
