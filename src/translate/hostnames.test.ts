import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareListenerHostnames,
  hostnamesOverlap,
  intersectHostname,
  routeHostnamesForListener,
} from './hostnames.ts';

test('intersectHostname: exact, wildcard around exact, and the narrower of two wildcards', () => {
  assert.equal(intersectHostname('foo.example.com', 'foo.example.com'), 'foo.example.com');
  assert.equal(intersectHostname('foo.example.com', '*.example.com'), 'foo.example.com');
  assert.equal(intersectHostname('*.example.com', 'foo.example.com'), 'foo.example.com');
  assert.equal(intersectHostname('a.b.example.com', '*.example.com'), 'a.b.example.com');
  assert.equal(intersectHostname('*.example.com', '*.example.com'), '*.example.com');
  assert.equal(intersectHostname('*.a.example.com', '*.example.com'), '*.a.example.com');
  assert.equal(intersectHostname('*.example.com', '*.a.example.com'), '*.a.example.com');
});

test('intersectHostname: a wildcard never matches its own suffix or a different domain', () => {
  assert.equal(intersectHostname('example.com', '*.example.com'), null);
  assert.equal(intersectHostname('*.example.com', 'example.com'), null);
  assert.equal(intersectHostname('fooexample.com', '*.example.com'), null);
  assert.equal(intersectHostname('foo.example.net', '*.example.com'), null);
  assert.equal(intersectHostname('*.example.net', '*.example.com'), null);
  assert.equal(intersectHostname('foo.example.com', 'bar.example.com'), null);
});

test('routeHostnamesForListener: empty means every host, null means no intersection', () => {
  assert.deepEqual(routeHostnamesForListener([], 'foo.example.com'), []);
  assert.deepEqual(routeHostnamesForListener([], null), []);
  assert.deepEqual(routeHostnamesForListener(['b.com', 'a.com', 'b.com'], null), ['a.com', 'b.com']);
  assert.deepEqual(routeHostnamesForListener(['non.matching.com', '*.specific.com'], 'very.specific.com'), [
    'very.specific.com',
  ]);
  assert.deepEqual(routeHostnamesForListener(['wildcard.io', 'foo.wildcard.io', '*.io'], '*.wildcard.io'), [
    '*.wildcard.io',
    'foo.wildcard.io',
  ]);
  assert.equal(routeHostnamesForListener(['specific.but.wrong.com', 'wildcard.io'], '*.wildcard.io'), null);
});

test('hostnamesOverlap: a listener without hostname overlaps every other', () => {
  assert.equal(hostnamesOverlap(null, 'a.example.com'), true);
  assert.equal(hostnamesOverlap('*.example.com', 'a.example.com'), true);
  assert.equal(hostnamesOverlap('a.example.com', 'b.example.com'), false);
});

test('compareListenerHostnames: exact, then longer wildcards, then shorter, then none', () => {
  const sorted = [null, '*.com', '*.bar.com', 'bar.com', '*.foo.bar.com', 'a.com'].sort(compareListenerHostnames);
  assert.deepEqual(sorted, ['a.com', 'bar.com', '*.foo.bar.com', '*.bar.com', '*.com', null]);
});
