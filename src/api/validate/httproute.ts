/**
 * HTTPRoute (gateway.networking.k8s.io v1, v1beta1): the spec as its CRD declares it.
 *
 * Owns: the route and rule fields, their defaults (rules [{matches: [{path: PathPrefix "/"}]}], backendRef weight 1),
 * and the rule-level rules: no RequestRedirect with backendRefs; ReplacePrefixMatch only with exactly one PathPrefix
 * match; backendRequest timeout not longer than request; unique rule names; at most 128 matches in all.
 */
import type { HTTPRouteFilter, HTTPRouteRule, HTTPRouteTimeouts } from '../types.ts';
import { durationString, parseDuration } from './durations.ts';
import { hostname } from './hostnames.ts';
import { httpRouteFilters } from './httpfilters.ts';
import { DEFAULT_PATH_MATCH, httpRouteMatch } from './httpmatch.ts';
import { sectionName } from './names.ts';
import { backendObjectRefFields, parentRefs, servicePortRule, weight } from './refs.ts';
import { int, list, obj, type Rule, rule, str, withDefault } from './schema.ts';
import { sessionPersistence } from './session.ts';

const httpBackendRef = obj({ ...backendObjectRefFields, weight, filters: httpRouteFilters }, [servicePortRule]);

const timeouts = obj<HTTPRouteTimeouts>({ request: durationString, backendRequest: durationString }, [
  rule(
    'backendRequest timeout cannot be longer than request timeout',
    (t) => {
      const request = t.request === undefined ? undefined : parseDuration(t.request);
      const backend = t.backendRequest === undefined ? undefined : parseDuration(t.backendRequest);
      return request === undefined || backend === undefined || request === 0 || backend <= request;
    },
    ['backendRequest'],
  ),
]);

const retry = obj({
  codes: list(int({ min: 400, max: 599 }), { set: true }),
  attempts: int({ min: 1 }),
  backoff: durationString,
});

const usesPrefixReplace = (fs: readonly HTTPRouteFilter[] | undefined, field: 'requestRedirect' | 'urlRewrite') =>
  (fs ?? []).filter(
    (f) => f[field]?.path?.type === 'ReplacePrefixMatch' && f[field].path.replacePrefixMatch !== undefined,
  ).length === 1;

const onePrefixMatch = (r: HTTPRouteRule) => r.matches?.length === 1 && r.matches[0]?.path?.type === 'PathPrefix';

/** The CRD's four ReplacePrefixMatch rules (rule filters and backendRef filters; redirect and rewrite). */
const replacePrefixRule: Rule<HTTPRouteRule> = (r, at, report) => {
  if (onePrefixMatch(r)) return;
  for (const field of ['requestRedirect', 'urlRewrite'] as const) {
    const name = field === 'requestRedirect' ? 'RequestRedirect' : 'URLRewrite';
    if (usesPrefixReplace(r.filters, field)) {
      report.add(
        [...at, 'matches'],
        'rule',
        `a ${name} filter with path.replacePrefixMatch requires exactly one match, of path type PathPrefix`,
      );
    }
    if ((r.backendRefs ?? []).filter((b) => usesPrefixReplace(b.filters, field)).length === 1) {
      report.add(
        [...at, 'matches'],
        'rule',
        `a backendRef ${name} filter with path.replacePrefixMatch requires exactly one match, of path type PathPrefix`,
      );
    }
  }
};

const httpRouteRule = obj<HTTPRouteRule>(
  {
    name: sectionName,
    matches: withDefault(list(httpRouteMatch, { max: 64 }), [{ path: DEFAULT_PATH_MATCH }]),
    filters: httpRouteFilters,
    backendRefs: list(httpBackendRef, { max: 16 }),
    timeouts,
    retry,
    sessionPersistence,
  },
  [
    rule(
      'a RequestRedirect filter must not be used together with backendRefs',
      (r) => !(r.backendRefs?.length && r.filters?.some((f) => f.requestRedirect !== undefined)),
      ['filters'],
    ),
    replacePrefixRule,
  ],
);

/** Rule names, where given, are unique within the route. */
export const uniqueRuleNames: Rule<readonly { readonly name?: string }[]> = (rules, at, report) => {
  if (rules.length < 2) return;
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (r.name === undefined) return;
    if (seen.has(r.name)) report.add([...at, i, 'name'], 'duplicate', `duplicate rule name ${JSON.stringify(r.name)}`);
    seen.add(r.name);
  });
};

const MAX_TOTAL_MATCHES = 128;

const totalMatches: Rule<readonly HTTPRouteRule[]> = rule(
  `the total number of matches across all rules must be at most ${MAX_TOTAL_MATCHES}`,
  (rules) => rules.reduce((n, r) => n + (r.matches?.length ?? 0), 0) <= MAX_TOTAL_MATCHES,
);

export const httpRouteSpec = obj({
  parentRefs,
  hostnames: list(hostname, { max: 16 }),
  rules: withDefault(list<HTTPRouteRule>(httpRouteRule, { min: 1, max: 16, rules: [uniqueRuleNames, totalMatches] }), [
    { matches: [{ path: DEFAULT_PATH_MATCH }] },
  ]),
  useDefaultGateways: str({ enum: ['All', 'None'] }),
});
