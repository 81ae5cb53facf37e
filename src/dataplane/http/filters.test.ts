import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editHeaders, redirectLocation, rewritePath } from './filters.ts';
import { connectionTokens, removeFields, responseHeaderList } from './headers.ts';
import { compilePathRewrite } from './plan.ts';
import type { RedirectPlan } from './table.ts';

describe('rewritePath (HTTPPathModifier)', () => {
  // The ReplacePrefixMatch table from the HTTPPathModifier doc comment.
  const table: [string, string, string, string][] = [
    ['/foo/bar', '/foo', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo', '/xyz/', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz/', '/xyz/bar'],
    ['/foo', '/foo', '/xyz', '/xyz'],
    ['/foo/', '/foo', '/xyz', '/xyz/'],
    ['/foo/bar', '/foo', '', '/bar'],
    ['/foo/', '/foo', '', '/'],
    ['/foo', '/foo', '', '/'],
    ['/foo/', '/foo', '/', '/'],
    ['/foo', '/foo', '/', '/'],
    ['/anything', '/', '/xyz', '/xyz/anything'],
  ];
  for (const [path, prefix, value, expected] of table) {
    it(`${path} prefix ${prefix} -> ${JSON.stringify(value)} = ${expected}`, () => {
      assert.equal(rewritePath(path, compilePathRewrite({ type: 'prefix', prefix, value })), expected);
    });
  }
  it('ReplaceFullPath replaces the whole path', () => {
    assert.equal(rewritePath('/full/one/two', compilePathRewrite({ type: 'full', value: '/one' })), '/one');
  });
  it('a path outside the prefix is left alone', () => {
    assert.equal(rewritePath('/other', compilePathRewrite({ type: 'prefix', prefix: '/foo', value: '/x' })), '/other');
  });
});

describe('redirectLocation (HTTPRequestRedirectFilter)', () => {
  const plan = (p: Partial<RedirectPlan>): RedirectPlan => ({
    scheme: null,
    hostname: null,
    port: null,
    path: null,
    statusCode: 302,
    ...p,
  });
  const onHttp80 = { scheme: 'http', host: 'req.example', port: 80, path: '/p', query: '?q=1' };
  const onHttp8080 = { ...onHttp80, port: 8080 };
  const onHttps443 = { ...onHttp80, scheme: 'https', port: 443 };

  it('defaults to the request scheme, host, path and query, omitting the default port', () => {
    assert.equal(redirectLocation(plan({}), onHttp80), 'http://req.example/p?q=1');
    assert.equal(redirectLocation(plan({}), onHttps443), 'https://req.example/p?q=1');
  });
  it('no scheme and no port: the listener port, shown when not the default', () => {
    assert.equal(redirectLocation(plan({ hostname: 'example.org' }), onHttp8080), 'http://example.org:8080/p?q=1');
  });
  it('scheme set, port unset: the scheme well-known port, omitted', () => {
    assert.equal(redirectLocation(plan({ scheme: 'https' }), onHttp8080), 'https://req.example/p?q=1');
    assert.equal(redirectLocation(plan({ scheme: 'http' }), onHttps443), 'http://req.example/p?q=1');
  });
  it('explicit port: shown unless it is the default of the scheme', () => {
    assert.equal(redirectLocation(plan({ port: 8443, scheme: 'https' }), onHttp80), 'https://req.example:8443/p?q=1');
    assert.equal(redirectLocation(plan({ port: 443, scheme: 'https' }), onHttp80), 'https://req.example/p?q=1');
    assert.equal(redirectLocation(plan({ port: 80 }), onHttp8080), 'http://req.example/p?q=1');
    assert.equal(redirectLocation(plan({ port: 8080 }), onHttp80), 'http://req.example:8080/p?q=1');
  });
  it('path modifiers', () => {
    const full = plan({ path: compilePathRewrite({ type: 'full', value: '/new' }) });
    const prefix = plan({ path: compilePathRewrite({ type: 'prefix', prefix: '/p', value: '/q' }) });
    assert.equal(redirectLocation(full, onHttp80), 'http://req.example/new?q=1');
    assert.equal(redirectLocation(prefix, { ...onHttp80, path: '/p/x' }), 'http://req.example/q/x?q=1');
  });
});

describe('header passes', () => {
  it('set overwrites (all repeats), add appends with ",", remove deletes, names case-insensitive', () => {
    const list = ['My-Header', 'foo', 'X-Dup', '1', 'x-dup', '2', 'X-Gone', 'g', 'Keep', 'k'];
    editHeaders(list, {
      set: [
        { name: 'x-dup', value: 'set' },
        { name: 'x-new', value: 'n' },
      ],
      add: [
        { name: 'my-header', value: 'bar,baz' },
        { name: 'x-added', value: 'a' },
      ],
      remove: ['x-gone'],
    });
    const pairs: string[] = [];
    for (let i = 0; i < list.length; i += 2) pairs.push(`${list[i]!.toLowerCase()}=${list[i + 1]}`);
    assert.deepEqual(pairs.sort(), ['keep=k', 'my-header=foo,bar,baz', 'x-added=a', 'x-dup=set', 'x-new=n']);
  });
  it('removeFields drops every field with one of the names', () => {
    const list = ['A', '1', 'b', '2', 'a', '3'];
    removeFields(list, ['a']);
    assert.deepEqual(list, ['b', '2']);
  });
  it('connectionTokens lists nominated fields, not close / keep-alive', () => {
    assert.deepEqual(connectionTokens('close, X-Foo ,keep-alive,x-bar', null), ['x-foo', 'x-bar']);
    assert.equal(connectionTokens('keep-alive', null), null);
  });
  it('responseHeaderList drops hop-by-hop and Connection-nominated fields and splits repeated ones', () => {
    const list = responseHeaderList({
      connection: 'x-secret',
      'x-secret': 's',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'set-cookie': ['a=1', 'b=2'],
      'content-type': 'text/plain',
    });
    assert.deepEqual(list, ['set-cookie', 'a=1', 'set-cookie', 'b=2', 'content-type', 'text/plain']);
  });
});
