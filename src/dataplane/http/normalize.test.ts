import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeHost, normalizePath } from './normalize.ts';

describe('normalizePath', () => {
  const cases: [string, string | null][] = [
    ['/', '/'],
    ['/foo/bar', '/foo/bar'],
    ['/foo/bar/', '/foo/bar/'],
    ['/foo/./bar', '/foo/bar'],
    ['/foo/../bar', '/bar'],
    ['/foo/bar/..', '/foo/'],
    ['/foo/bar/.', '/foo/bar/'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/foo/%2e%2e/bar', '/bar'],
    ['/foo/%2E%2e/%2e/bar', '/bar'],
    ['/foo/.%2e/bar', '/bar'],
    ['//foo///bar//', '/foo/bar/'],
    ['/%7Euser/%41%62c', '/~user/Abc'],
    ['/a%3ab', '/a%3Ab'],
    ['/a%20b', '/a%20b'],
    ['/.well-known/x', '/.well-known/x'],
    ['/foo%2Fbar', null],
    ['/foo%2fbar', null],
    ['/foo%5Cbar', null],
    ['/foo\\bar', null],
    ['/foo%00', null],
    ['/foo%zz', null],
    ['/foo%4', null],
    ['/foo#frag', null],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected}`, () => {
      assert.equal(normalizePath(input), expected);
    });
  }

  it('already-normal paths come back unchanged', () => {
    const p = '/api/v1/items';
    assert.equal(normalizePath(p), p);
  });
});

describe('normalizeHost', () => {
  const cases: [string, string | null][] = [
    ['example.com', 'example.com'],
    ['Example.COM:8080', 'example.com'],
    ['example.com:', 'example.com'],
    ['[::1]:443', '[::1]'],
    ['[::1]', '[::1]'],
    ['10.0.0.1:80', '10.0.0.1'],
    ['', ''],
    ['bad host', null],
    ['a/b', null],
    ['user@host', null],
    ['host:80x', null],
    ['[::1', null],
    ['[::1]x', null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => {
      assert.equal(normalizeHost(input), expected);
    });
  }
});
