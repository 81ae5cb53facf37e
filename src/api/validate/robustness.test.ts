import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateObject } from './index.ts';

const GW = 'gateway.networking.k8s.io/v1';
const SEEDS: readonly Record<string, unknown>[] = [
  {
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { name: 'g' },
    spec: {
      gatewayClassName: 'c',
      addresses: [{ value: '10.0.0.1' }],
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
        {
          name: 'https',
          port: 443,
          protocol: 'HTTPS',
          hostname: '*.example.com',
          tls: { certificateRefs: [{ name: 'c' }] },
        },
        { name: 'tls', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
      ],
    },
  },
  {
    apiVersion: GW,
    kind: 'HTTPRoute',
    metadata: { name: 'r' },
    spec: {
      parentRefs: [{ name: 'g', sectionName: 'http' }],
      hostnames: ['a.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/p' }, headers: [{ name: 'x', value: 'y' }], method: 'GET' }],
          filters: [
            { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
          ],
          backendRefs: [
            {
              name: 's',
              port: 80,
              weight: 2,
              filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'a', value: 'b' }] } }],
            },
          ],
          timeouts: { request: '10s', backendRequest: '1s' },
        },
        { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  },
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'e' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.2'] }],
    ports: [{ port: 8080 }],
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': 'YQ==', 'tls.key': 'Yg==' },
  },
];

const ODD: readonly unknown[] = [
  null,
  0,
  -1,
  1.5,
  70_000,
  '',
  'x',
  '/',
  'HTTP',
  'Terminate',
  '(a)\\1',
  true,
  [],
  {},
  [null],
  [{}],
];

/** A tiny deterministic PRNG (LCG), so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function mutate(v: unknown, rnd: () => number, depth: number): unknown {
  if (depth > 0 && (rnd() < 0.06 || depth > 8)) return structuredClone(ODD[Math.floor(rnd() * ODD.length)]);
  if (Array.isArray(v))
    return v.map((x) => mutate(x, rnd, depth + 1)).concat(rnd() < 0.1 ? [structuredClone(v[0])] : []);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'apiVersion' || k === 'kind') out[k] = x;
    else if (rnd() >= 0.04) out[k] = mutate(x, rnd, depth + 1);
  }
  return out;
}

describe('validation robustness', () => {
  it('never throws or modifies its input, whatever the shape (2000 seeded mutations)', () => {
    for (const seed of SEEDS)
      assert.deepEqual(validateObject(seed as { apiVersion: string; kind: string })?.issues, []);
    const rnd = prng(2257);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const seed = SEEDS[i % SEEDS.length];
      const input = mutate(seed, rnd, 0) as { apiVersion: string; kind: string };
      const before = structuredClone(input);
      const result = validateObject(input);
      assert.ok(result);
      assert.deepEqual(input, before);
      if (result.issues.length === 0) accepted++;
    }
    assert.ok(accepted > 50 && accepted < 1950, `accepted ${accepted}: the mutations should exercise both outcomes`);
  });
});
