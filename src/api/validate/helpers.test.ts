import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from './durations.ts';
import { headerValueProblem } from './headers.ts';
import { hostnameProblem, preciseHostnameProblem } from './hostnames.ts';
import { formatPath } from './issues.ts';
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  labelValueProblem,
  qualifiedNameProblem,
} from './names.ts';
import { pathMatchProblem } from './paths.ts';
import { linearRegexProblem } from './regex.ts';

describe('names', () => {
  it('tells RFC 1123 labels and subdomains and RFC 1035 labels apart', () => {
    assert.equal(isDns1123Label('a-1'), true);
    assert.equal(isDns1123Label('1a'), true);
    assert.equal(isDns1123Label('a.b'), false);
    assert.equal(isDns1123Label('a'.repeat(64)), false);
    assert.equal(isDns1123Subdomain('a.b-c.d'), true);
    assert.equal(isDns1123Subdomain('a..b'), false);
    assert.equal(isDns1123Subdomain('-a'), false);
    assert.equal(isDns1123Subdomain(`${'a'.repeat(63)}.`.repeat(4).slice(0, 253)), true);
    assert.equal(isDns1123Subdomain('a'.repeat(254)), false);
    assert.equal(isDns1035Label('a1'), true);
    assert.equal(isDns1035Label('1a'), false);
  });

  it('checks qualified names and label values', () => {
    assert.equal(qualifiedNameProblem('app.kubernetes.io/name'), undefined);
    assert.equal(qualifiedNameProblem('Name_1.x'), undefined);
    assert.match(qualifiedNameProblem('Bad.Prefix/x') ?? '', /prefix/);
    assert.match(qualifiedNameProblem('a/') ?? '', /name part/);
    assert.match(qualifiedNameProblem('-x') ?? '', /name part/);
    assert.equal(labelValueProblem(''), undefined);
    assert.match(labelValueProblem('a'.repeat(64)) ?? '', /63/);
  });
});

describe('hostnames', () => {
  it('allows a wildcard only as the whole first label', () => {
    assert.equal(hostnameProblem('*.example.com'), undefined);
    assert.equal(hostnameProblem('example.com'), undefined);
    assert.match(hostnameProblem('*') ?? '', /wildcard/);
    assert.match(hostnameProblem('a*.example.com') ?? '', /wildcard/);
    assert.match(hostnameProblem('*.*.example.com') ?? '', /wildcard/);
    assert.match(hostnameProblem('Example.com') ?? '', /lowercase/);
    assert.match(hostnameProblem('example.com.') ?? '', /RFC 1123 hostname/);
    assert.match(preciseHostnameProblem('*.example.com') ?? '', /wildcard/);
    assert.equal(preciseHostnameProblem('a.example.com'), undefined);
  });
});

describe('paths', () => {
  it('accepts clean absolute paths and rejects the CRD cases', () => {
    assert.equal(pathMatchProblem('/'), undefined);
    assert.equal(pathMatchProblem('/a/b%20c'), undefined);
    for (const bad of ['', 'a', '//', '/a/./', '/../', '/%2F', '/#', '/..', '/.', '/a?b', '/ä']) {
      assert.notEqual(pathMatchProblem(bad), undefined, bad);
    }
  });
});

describe('durations (GEP-2257)', () => {
  it('parses the test vectors', () => {
    const cases: [string, number | undefined][] = [
      ['0h', 0],
      ['0s', 0],
      ['1h', 3_600_000],
      ['1h30m30s500ms', 5_430_500],
      ['00060m', 3_600_000],
      ['1h2h20m10m', 12_600_000],
      ['500ms', 500],
      ['99999h', 99_999 * 3_600_000],
      ['0', undefined],
      ['', undefined],
      ['1.5s', undefined],
      ['-1s', undefined],
      ['1d', undefined],
      ['100000s', undefined],
      ['1h1m1s1ms1h', undefined],
      ['1us', undefined],
    ];
    for (const [s, ms] of cases) assert.equal(parseDuration(s), ms, s);
  });
});

describe('header values', () => {
  it('follows the CRD pattern without backtracking', () => {
    assert.equal(headerValueProblem('a b\tc'), undefined);
    assert.equal(headerValueProblem('!~'), undefined);
    assert.notEqual(headerValueProblem(' a'), undefined);
    assert.notEqual(headerValueProblem('a '), undefined);
    assert.notEqual(headerValueProblem('a  b'), undefined);
    assert.notEqual(headerValueProblem('é'), undefined);
    assert.notEqual(headerValueProblem(''), undefined);
    assert.notEqual(headerValueProblem(`${'a'.repeat(4000)}\u0001`), undefined);
  });
});

describe('regular expressions', () => {
  it('accepts linear patterns and rejects the rest, telling syntax errors apart', () => {
    assert.equal(linearRegexProblem('^/api/v[0-9]+/.*$'), undefined);
    assert.equal(linearRegexProblem('(a|b)*c'), undefined);
    assert.equal(linearRegexProblem('(a)\\1')?.nonLinear, true);
    assert.equal(linearRegexProblem('a(?!b)')?.nonLinear, true);
    assert.equal(linearRegexProblem('(')?.nonLinear, false);
  });
});

describe('formatPath', () => {
  it('writes fields, indexes and odd map keys', () => {
    assert.equal(
      formatPath(['spec', 'rules', 0, 'matches', 1, 'path', 'value']),
      'spec.rules[0].matches[1].path.value',
    );
    assert.equal(
      formatPath(['metadata', 'labels', 'app.kubernetes.io/name']),
      'metadata.labels[app.kubernetes.io/name]',
    );
    assert.equal(formatPath([]), '');
  });
});
