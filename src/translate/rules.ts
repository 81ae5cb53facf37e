/**
 * One HTTPRoute rule -> route entries (one per match), with the problems found on the way.
 *
 * Owns: the rule's backends (weights, weight-0 refs dropped, invalid refs kept as `cluster: null` so their share
 * answers 500), rule- and backend-level filters, timeouts and retry, and what makes a rule unimplementable: an
 * invalid match drops the rule; invalid filters or values keep its matches but answer 500, as does an
 * unresolvable ExtensionRef filter. A rule without backendRefs (and no redirect) has no backends: 500.
 */
import type { HTTPBackendRef, HTTPRouteRule } from '../api/types.ts';
import type { ClusterIR, HttpMatchIR, HttpRouteIR, WeightedBackendIR } from '../ir/types.ts';
import { type RefProblem, resolveBackend } from './backends.ts';
import type { TranslateContext } from './context.ts';
import { convertRetry, convertTimeouts } from './durations.ts';
import { convertFilters, type RuleProblem } from './filters.ts';
import { convertMatch } from './matches.ts';
import type { RouteEntry } from './model.ts';

export interface RuleResult {
  readonly entries: readonly RouteEntry[];
  readonly clusters: readonly ClusterIR[];
  readonly invalid: readonly RuleProblem[];
  readonly refProblems: readonly RefProblem[];
}

interface RouteIdentity {
  readonly namespace: string;
  readonly name: string;
}

export function buildRule(rule: HTTPRouteRule, index: number, route: RouteIdentity, ctx: TranslateContext): RuleResult {
  const matches = (rule.matches?.length ? rule.matches : [{}]).map(convertMatch);
  const badMatch = matches.find((m) => !m.ok);
  if (badMatch && !badMatch.ok) {
    return {
      entries: [],
      clusters: [],
      invalid: [{ reason: 'UnsupportedValue', message: badMatch.problem }],
      refProblems: [],
    };
  }
  const okMatches = matches.flatMap((m) => (m.ok ? [m.value] : []));
  const invalid: RuleProblem[] = [];
  const refProblems: RefProblem[] = [];
  const clusters: ClusterIR[] = [];
  const extras = ruleExtras(rule, invalid);
  const entries = okMatches.map((match, j): RouteEntry => {
    const built = buildEntry(rule, match, route.namespace, ctx);
    invalid.push(...built.invalid);
    refProblems.push(...built.refProblems);
    clusters.push(...built.clusters);
    return {
      ruleIndex: index,
      matchIndex: j,
      ir: {
        name: `httproute/${route.namespace}/${route.name}/rule/${index}/match/${j}`,
        match,
        ...built.ir,
        ...extras,
      },
    };
  });
  const failed = invalid.length > 0;
  return {
    entries: failed ? entries.map((e) => ({ ...e, ir: { ...e.ir, filters: [], backends: [] } })) : entries,
    clusters,
    invalid: dedupe(invalid),
    refProblems: dedupe(refProblems),
  };
}

function ruleExtras(rule: HTTPRouteRule, invalid: RuleProblem[]): Pick<HttpRouteIR, 'timeouts' | 'retry'> {
  const timeouts = rule.timeouts ? convertTimeouts(rule.timeouts) : undefined;
  const retry = rule.retry ? convertRetry(rule.retry) : undefined;
  for (const r of [timeouts, retry]) if (r && !r.ok) invalid.push({ reason: 'UnsupportedValue', message: r.problem });
  return { ...(timeouts?.ok && { timeouts: timeouts.value }), ...(retry?.ok && { retry: retry.value }) };
}

function buildEntry(rule: HTTPRouteRule, match: HttpMatchIR, namespace: string, ctx: TranslateContext) {
  const ruleFilters = convertFilters(rule.filters ?? [], match.path, namespace, ctx);
  const backends = (rule.backendRefs ?? []).map((ref) => buildBackend(ref, match, namespace, ctx));
  const invalid = [...ruleFilters.invalid, ...backends.flatMap((b) => b.invalid)];
  const refProblems = [...ruleFilters.refProblems, ...backends.flatMap((b) => b.refProblems)];
  const clusters = [...ruleFilters.clusters, ...backends.flatMap((b) => b.clusters)];
  const ir = ruleFilters.force500
    ? { filters: [], backends: [] }
    : { filters: ruleFilters.filters, backends: backends.flatMap((b) => (b.ir.weight > 0 ? [b.ir] : [])) };
  return { ir, invalid, refProblems, clusters };
}

function buildBackend(ref: HTTPBackendRef, match: HttpMatchIR, namespace: string, ctx: TranslateContext) {
  const weight = ref.weight ?? 1;
  const resolved = resolveBackend(ref, namespace, ctx);
  const filters = convertFilters(ref.filters ?? [], match.path, namespace, ctx);
  const cluster = resolved.ok && !filters.force500 ? resolved.cluster.name : null;
  const ir: WeightedBackendIR = { weight, cluster, filters: cluster === null ? [] : filters.filters };
  return {
    ir,
    invalid: filters.invalid,
    refProblems: [...(resolved.ok ? [] : [resolved.problem]), ...filters.refProblems],
    clusters: [...(resolved.ok ? [resolved.cluster] : []), ...filters.clusters],
  };
}

/** Problems without repeats (same reason and message), first occurrence kept. */
export function dedupe<T extends { readonly reason: string; readonly message: string }>(
  items: readonly T[],
): readonly T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = `${i.reason}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
