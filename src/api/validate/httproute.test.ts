import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HTTPRoute } from '../types.ts';
import { formatPath, validateObject } from './index.ts';

function check(spec: unknown): { route: HTTPRoute; errors: string[] } {
  const input = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec };
  const frozen = structuredClone(input);
  const result = validateObject(input);
  assert.ok(result);
  assert.deepEqual(input, frozen, 'validation must not modify its input');
  return {
    route: result.object as HTTPRoute,
    errors: result.issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
  };
}

const rule = (r: unknown) => check({ rules: [r] });
const backend = { name: 'svc', port: 80 };

describe('HTTPRoute defaults', () => {
  it('defaults rules, matches, path, parentRef group/kind', () => {
    const { route, errors } = check({ parentRefs: [{ name: 'gw' }] });
    assert.deepEqual(errors, []);
    assert.deepEqual(route.spec, {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }],
    });
  });

  it('defaults path type, header/query match type, backendRef group/kind/weight, redirect status, mirror fraction', () => {
    const { route, errors } = rule({
      matches: [
        { path: { value: '/a' }, headers: [{ name: 'x', value: 'y' }], queryParams: [{ name: 'q', value: 'v' }] },
        {},
      ],
      filters: [
        { type: 'RequestMirror', requestMirror: { backendRef: backend, fraction: { numerator: 5 } } },
        { type: 'URLRewrite', urlRewrite: { hostname: 'example.com' } },
      ],
      backendRefs: [backend],
    });
    assert.deepEqual(errors, []);
    const r = route.spec.rules?.[0];
    assert.deepEqual(r?.matches, [
      {
        path: { type: 'PathPrefix', value: '/a' },
        headers: [{ type: 'Exact', name: 'x', value: 'y' }],
        queryParams: [{ type: 'Exact', name: 'q', value: 'v' }],
      },
      { path: { type: 'PathPrefix', value: '/' } },
    ]);
    assert.deepEqual(r?.backendRefs, [{ group: '', kind: 'Service', name: 'svc', port: 80, weight: 1 }]);
    assert.deepEqual(r?.filters?.[0]?.requestMirror, {
      backendRef: { group: '', kind: 'Service', name: 'svc', port: 80 },
      fraction: { numerator: 5, denominator: 100 },
    });
    const redirect = rule({ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] });
    assert.deepEqual(redirect.route.spec.rules?.[0]?.filters?.[0]?.requestRedirect, {
      scheme: 'https',
      statusCode: 302,
    });
  });

  it('treats null as absent (and defaults it)', () => {
    const { route, errors } = check({ rules: [{ matches: null, backendRefs: [{ ...backend, weight: null }] }] });
    assert.deepEqual(errors, []);
    assert.deepEqual(route.spec.rules?.[0]?.matches, [{ path: { type: 'PathPrefix', value: '/' } }]);
    assert.equal(route.spec.rules?.[0]?.backendRefs?.[0]?.weight, 1);
  });
});

describe('HTTPRoute schema', () => {
  it('rejects unknown fields with their path, suggesting a near name', () => {
    assert.deepEqual(check({ foo: 1 }).errors, ['spec.foo: unknown field']);
    assert.deepEqual(rule({ backendrefs: [] }).errors, [
      'spec.rules[0].backendrefs: unknown field (did you mean "backendRefs"?)',
    ]);
  });

  it('requires spec and required fields', () => {
    const result = validateObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
    });
    assert.deepEqual(
      result?.issues.map((i) => [formatPath(i.path), i.code]),
      [['spec', 'required']],
    );
    assert.deepEqual(check({ parentRefs: [{ port: 80 }] }).errors, [
      'spec.parentRefs[0].name: required field is missing',
    ]);
  });

  it('checks types, enums, ranges and patterns', () => {
    assert.deepEqual(rule({ backendRefs: [{ name: 'svc', port: '80' }] }).errors, [
      'spec.rules[0].backendRefs[0].port: must be an integer, not a string',
    ]);
    assert.deepEqual(rule({ matches: [{ method: 'FETCH' }] }).errors, [
      'spec.rules[0].matches[0].method: unsupported value "FETCH": must be one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH',
    ]);
    assert.deepEqual(rule({ backendRefs: [{ ...backend, weight: 1_000_001 }] }).errors, [
      'spec.rules[0].backendRefs[0].weight: 1000001 must be between 0 and 1000000',
    ]);
    assert.deepEqual(rule({ backendRefs: [{ ...backend, port: 0 }] }).errors, [
      'spec.rules[0].backendRefs[0].port: 0 must be between 1 and 65535',
    ]);
    assert.match(
      rule({ matches: [{ headers: [{ name: 'bad name', value: 'v' }] }] }).errors[0] ?? '',
      /headers\[0\]\.name: must be an HTTP token/,
    );
    assert.match(
      rule({
        filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x', value: ' lead' }] } }],
      }).errors[0] ?? '',
      /set\[0\]\.value: must not start with/,
    );
    assert.match(check({ hostnames: ['*.Example.com'] }).errors[0] ?? '', /spec\.hostnames\[0\]: must be lowercase/);
    assert.match(check({ hostnames: ['foo.*.com'] }).errors[0] ?? '', /wildcard/);
    assert.match(
      check({ parentRefs: [{ name: 'gw', sectionName: 'HTTP' }] }).errors[0] ?? '',
      /sectionName: must be a lowercase RFC 1123 subdomain/,
    );
  });

  it('bounds list sizes (16 rules, 64 matches, 16 backendRefs, 16 hostnames, 32 parentRefs) and rejects empty rules', () => {
    const many = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));
    assert.deepEqual(check({ rules: many(17, () => ({})) }).errors, [
      'spec.rules: must have at most 16 items (has 17)',
    ]);
    assert.deepEqual(check({ rules: [] }).errors, ['spec.rules: must have at least one item']);
    assert.deepEqual(rule({ matches: many(65, (i) => ({ path: { value: `/${i}` } })) }).errors, [
      'spec.rules[0].matches: must have at most 64 items (has 65)',
    ]);
    assert.deepEqual(rule({ backendRefs: many(17, () => backend) }).errors, [
      'spec.rules[0].backendRefs: must have at most 16 items (has 17)',
    ]);
    assert.deepEqual(check({ hostnames: many(17, (i) => `h${i}.example`) }).errors, [
      'spec.hostnames: must have at most 16 items (has 17)',
    ]);
    assert.deepEqual(check({ parentRefs: many(33, (i) => ({ name: `g${i}` })) }).errors, [
      'spec.parentRefs: must have at most 32 items (has 33)',
    ]);
  });
});

describe('HTTPRoute rules (CEL)', () => {
  const pathErrors = (type: string, value: string) => rule({ matches: [{ path: { type, value } }] }).errors;

  it('applies the path rules to Exact and PathPrefix values', () => {
    const cases: [string, string][] = [
      ['foo', "must start with '/'"],
      ['/a//b', "must not contain '//'"],
      ['/a/./b', "must not contain '/./'"],
      ['/a/../b', "must not contain '/../'"],
      ['/a%2fb', "must not contain '%2f' or '%2F'"],
      ['/a%2Fb', "must not contain '%2f' or '%2F'"],
      ['/a#b', "must not contain '#'"],
      ['/a/..', "must not end with '/..'"],
      ['/a/.', "must not end with '/.'"],
      ['/a b', 'must contain only URI path characters'],
      ['/a%zz', 'must contain only URI path characters'],
    ];
    for (const [value, message] of cases) {
      for (const type of ['Exact', 'PathPrefix']) {
        const errors = pathErrors(type, value);
        assert.equal(errors.length, 1, `${type} ${value}`);
        assert.ok(errors[0]?.startsWith(`spec.rules[0].matches[0].path.value: ${message}`), `${value}: ${errors[0]}`);
      }
    }
    assert.deepEqual(pathErrors('PathPrefix', "/a-b_c.d~e!$&'()*+,;=:@/%20"), []);
    assert.deepEqual(pathErrors('RegularExpression', 'no/leading//slash'), []);
    assert.match(pathErrors('Glob', '/x')[0] ?? '', /unsupported value "Glob"/);
  });

  it('requires RegularExpression values to compile with the linear-time engine', () => {
    assert.deepEqual(pathErrors('RegularExpression', '^/v[0-9]+/.*$'), []);
    assert.deepEqual(pathErrors('RegularExpression', '/(a+)\\1'), [
      'spec.rules[0].matches[0].path.value: must be a regular expression that runs in linear time (no backreferences, lookaround or large counted repetitions)',
    ]);
    const header = rule({ matches: [{ headers: [{ type: 'RegularExpression', name: 'x', value: 'a(?=b)' }] }] });
    assert.match(header.errors[0] ?? '', /headers\[0\]\.value: must be a regular expression that runs in linear time/);
    const query = rule({ matches: [{ queryParams: [{ type: 'RegularExpression', name: 'q', value: '[unclosed' }] }] });
    assert.match(
      query.errors[0] ?? '',
      /queryParams\[0\]\.value: invalid regular expression: Unterminated character class/,
    );
    assert.deepEqual(rule({ matches: [{ headers: [{ name: 'x', value: '(a)\\1' }] }] }).errors, []);
  });

  it('rejects RequestRedirect together with URLRewrite, and repeated filters', () => {
    const redirect = { type: 'RequestRedirect', requestRedirect: {} };
    const rewrite = { type: 'URLRewrite', urlRewrite: {} };
    assert.deepEqual(rule({ filters: [redirect, rewrite] }).errors, [
      'spec.rules[0].filters: may specify either a RequestRedirect or a URLRewrite filter, but not both',
    ]);
    const header = { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['x'] } };
    assert.deepEqual(rule({ filters: [header, header] }).errors, [
      'spec.rules[0].filters[1].type: RequestHeaderModifier filter cannot be repeated',
    ]);
    const mirror = { type: 'RequestMirror', requestMirror: { backendRef: backend } };
    assert.deepEqual(rule({ filters: [mirror, mirror] }).errors, []);
    assert.deepEqual(rule({ backendRefs: [{ ...backend, filters: [header, header] }] }).errors, [
      'spec.rules[0].backendRefs[0].filters[1].type: RequestHeaderModifier filter cannot be repeated',
    ]);
  });

  it('ties a filter type to its field', () => {
    assert.deepEqual(rule({ filters: [{ type: 'URLRewrite' }] }).errors, [
      'spec.rules[0].filters[0].urlRewrite: required when type is URLRewrite',
    ]);
    assert.deepEqual(rule({ filters: [{ type: 'URLRewrite', urlRewrite: {}, requestRedirect: {} }] }).errors, [
      'spec.rules[0].filters[0].requestRedirect: must not be set when type is URLRewrite',
    ]);
  });

  it('allows ReplacePrefixMatch only with exactly one PathPrefix match', () => {
    const rewrite = {
      type: 'URLRewrite',
      urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } },
    };
    assert.deepEqual(rule({ matches: [{ path: { value: '/p' } }], filters: [rewrite] }).errors, []);
    assert.deepEqual(rule({ filters: [rewrite] }).errors, []);
    assert.deepEqual(rule({ matches: [{ path: { type: 'Exact', value: '/p' } }], filters: [rewrite] }).errors, [
      'spec.rules[0].matches: a URLRewrite filter with path.replacePrefixMatch requires exactly one match, of path type PathPrefix',
    ]);
    const redirect = {
      type: 'RequestRedirect',
      requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } },
    };
    assert.deepEqual(
      rule({ matches: [{ path: { value: '/a' } }, { path: { value: '/b' } }], filters: [redirect] }).errors,
      [
        'spec.rules[0].matches: a RequestRedirect filter with path.replacePrefixMatch requires exactly one match, of path type PathPrefix',
      ],
    );
    assert.deepEqual(
      rule({ matches: [{ path: { type: 'Exact', value: '/p' } }], backendRefs: [{ ...backend, filters: [rewrite] }] })
        .errors,
      [
        'spec.rules[0].matches: a backendRef URLRewrite filter with path.replacePrefixMatch requires exactly one match, of path type PathPrefix',
      ],
    );
  });

  it('ties a path modifier type to its field', () => {
    const bad = { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replacePrefixMatch: '/x' } } };
    assert.deepEqual(rule({ filters: [bad] }).errors, [
      'spec.rules[0].filters[0].urlRewrite.path.replaceFullPath: required when type is ReplaceFullPath',
      'spec.rules[0].filters[0].urlRewrite.path.replacePrefixMatch: must not be set unless type is ReplacePrefixMatch',
    ]);
  });

  it('forbids RequestRedirect with backendRefs', () => {
    assert.deepEqual(
      rule({ filters: [{ type: 'RequestRedirect', requestRedirect: {} }], backendRefs: [backend] }).errors,
      ['spec.rules[0].filters: a RequestRedirect filter must not be used together with backendRefs'],
    );
  });

  it('requires a port for Service backends', () => {
    assert.deepEqual(rule({ backendRefs: [{ name: 'svc' }] }).errors, [
      'spec.rules[0].backendRefs[0].port: port is required when referring to a Service',
    ]);
    assert.deepEqual(rule({ backendRefs: [{ name: 'b', group: 'example.com', kind: 'Backend' }] }).errors, []);
  });

  it('checks mirror percent/fraction', () => {
    const mirror = (m: object) =>
      rule({ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: backend, ...m } }] }).errors;
    assert.deepEqual(mirror({ percent: 10, fraction: { numerator: 1 } }), [
      'spec.rules[0].filters[0].requestMirror: only one of percent or fraction may be specified',
    ]);
    assert.deepEqual(mirror({ fraction: { numerator: 3, denominator: 2 } }), [
      'spec.rules[0].filters[0].requestMirror.fraction.numerator: numerator must be less than or equal to denominator',
    ]);
    assert.match(mirror({ percent: 101 })[0] ?? '', /percent: 101 must be between 0 and 100/);
  });

  it('checks timeouts as GEP-2257 durations, backendRequest not above request', () => {
    assert.deepEqual(rule({ timeouts: { request: '10s', backendRequest: '1s500ms' } }).errors, []);
    assert.deepEqual(rule({ timeouts: { request: '0s', backendRequest: '1h' } }).errors, []);
    assert.deepEqual(rule({ timeouts: { request: '1s', backendRequest: '2s' } }).errors, [
      'spec.rules[0].timeouts.backendRequest: backendRequest timeout cannot be longer than request timeout',
    ]);
    assert.match(rule({ timeouts: { request: '1.5s' } }).errors[0] ?? '', /timeouts\.request: must be a duration/);
  });

  it('requires unique rule names, unique parentRef sections, at most 128 matches in all', () => {
    assert.deepEqual(check({ rules: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] }).errors, [
      'spec.rules[2].name: duplicate rule name "a"',
    ]);
    assert.deepEqual(check({ parentRefs: [{ name: 'gw' }, { name: 'gw', sectionName: 'http' }] }).errors, [
      'spec.parentRefs[1]: sectionName or port must be specified when parentRefs includes 2 or more references to the same parent',
    ]);
    assert.deepEqual(
      check({
        parentRefs: [
          { name: 'gw', sectionName: 'a' },
          { name: 'gw', sectionName: 'b' },
          { name: 'gw', namespace: 'x' },
        ],
      }).errors,
      [],
    );
    assert.match(
      check({
        parentRefs: [
          { name: 'gw', sectionName: 'a' },
          { name: 'gw', sectionName: 'a' },
        ],
      }).errors[0] ?? '',
      /duplicate parentRef/,
    );
    const matches = Array.from({ length: 60 }, (_, i) => ({ path: { value: `/${i}` } }));
    assert.deepEqual(check({ rules: [{ matches }, { matches }] }).errors, []);
    assert.deepEqual(check({ rules: [{ matches }, { matches }, { matches: matches.slice(0, 9) }] }).errors, [
      'spec.rules: the total number of matches across all rules must be at most 128',
    ]);
  });

  it('checks list-map keys (header names) and sets (remove)', () => {
    assert.deepEqual(
      rule({ filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['a', 'a'] } }] }).errors,
      ['spec.rules[0].filters[0].responseHeaderModifier.remove[1]: duplicate value "a"'],
    );
    assert.deepEqual(
      rule({
        matches: [
          {
            queryParams: [
              { name: 'q', value: '1' },
              { name: 'q', value: '2' },
            ],
          },
        ],
      }).errors,
      ['spec.rules[0].matches[0].queryParams[1].name: duplicate query parameter name "q"'],
    );
  });

  it('checks CORS and session persistence rules', () => {
    const cors = (c: object) => rule({ filters: [{ type: 'CORS', cors: c }] });
    const ok = cors({ allowOrigins: ['https://a.example:8443', 'http://*.example.com'], allowMethods: ['GET'] });
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.route.spec.rules?.[0]?.filters?.[0]?.cors !== undefined, true);
    assert.deepEqual(cors({ allowOrigins: ['*', 'https://a.example'] }).errors, [
      "spec.rules[0].filters[0].cors.allowOrigins: allowOrigins cannot contain '*' alongside other values",
    ]);
    assert.match(cors({ allowOrigins: ['ftp://x'] }).errors[0] ?? '', /allowOrigins\[0\]: must be "\*" or an origin/);
    assert.deepEqual(rule({ sessionPersistence: { type: 'Header' } }).errors, [
      'spec.rules[0].sessionPersistence.header: header must be specified for type Header',
    ]);
    assert.deepEqual(rule({ sessionPersistence: { cookie: { lifetimeType: 'Permanent' } } }).errors, [
      'spec.rules[0].sessionPersistence.absoluteTimeout: absoluteTimeout must be specified when cookie lifetimeType is Permanent',
    ]);
  });
});
