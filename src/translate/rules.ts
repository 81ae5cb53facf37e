/**
 * One HTTPRoute rule -> route entries (one per match), with the problems found on the way.
 *
 * Owns: the rule's backends (weights, weight-0 refs dropped, invalid refs kept as `cluster: null` so their share
 * answers 500), rule- and backend-level filters, timeouts and retry, and what makes a rule unimplementable: an
 * invalid match drops the rule; invalid filters or values keep its matches but answer 500, as does an
 * unresolvable ExtensionRef filter. A rule without backendRefs (and no redirect) has no backends: 500.
 */
import type { HTTPBackendRef, HTTPRouteMatch, HTTPRouteRule } from '../api/types.ts';
import type { HttpMatchIR, HttpRouteIR, WeightedBackendIR } from '../ir/types.ts';
import { intern } from '../lib/intern.ts';
import { type BackendResult, type ClusterRef, type RefProblem, resolveBackend } from './backends.ts';
import type { TranslateContext } from './context.ts';
import { convertRetry, convertTimeouts } from './durations.ts';
import { convertFilters, type FilterResult, type RuleProblem } from './filters.ts';
import { convertMatch } from './matches.ts';
import type { RouteEntry } from './model.ts';
import { precedenceKey } from './precedence.ts';

export interface RuleResult {
  readonly entries: readonly RouteEntry[];
  readonly clusters: readonly ClusterRef[];
  readonly invalid: readonly RuleProblem[];
  readonly refProblems: readonly RefProblem[];
}

export interface RouteIdentity {
  readonly namespace: string;
  readonly name: string;
  /** "namespace/name". */
  readonly key: string;
  readonly createdMs: number;
  /** spec.hostnames, lower-case (route entries carry them; see RouteEntry). */
  readonly hostnames: readonly string[];
}

/** Shared empty list (frozen: IR is never mutated). */
const NONE: readonly never[] = Object.freeze([]);
const ANY_MATCH: readonly HTTPRouteMatch[] = Object.freeze([{}]);
const NO_EXTRAS: Pick<HttpRouteIR, 'timeouts' | 'retry'> = Object.freeze({});

/** Problems and clusters of a rule, in the order its matches, filters and backends produce them. */
interface Found {
  readonly invalid: RuleProblem[];
  readonly refProblems: RefProblem[];
  readonly clusters: ClusterRef[];
}

export function buildRule(rule: HTTPRouteRule, index: number, route: RouteIdentity, ctx: TranslateContext): RuleResult {
  const matches: HttpMatchIR[] = [];
  for (const m of rule.matches?.length ? rule.matches : ANY_MATCH) {
    const converted = convertMatch(m);
    if (!converted.ok) {
      const invalid = [{ reason: 'UnsupportedValue' as const, message: converted.problem }];
      return { entries: NONE, clusters: NONE, invalid, refProblems: NONE };
    }
    matches.push(converted.value);
  }
  const found: Found = { invalid: [], refProblems: [], clusters: [] };
  const extras = ruleExtras(rule, found.invalid);
  // Resolving a backendRef does not depend on the match: once per rule.
  const resolved = (rule.backendRefs ?? NONE).map((ref) => resolveBackend(ref, route.namespace, ctx));
  const entries = matches.map((match, j): RouteEntry => {
    const built = buildEntry(rule, match, resolved, route.namespace, ctx, found);
    const name = intern(`httproute/${route.namespace}/${route.name}/rule/${index}/match/${j}`);
    return {
      ruleIndex: index,
      matchIndex: j,
      precedence: precedenceKey({
        match,
        createdMs: route.createdMs,
        routeKey: route.key,
        ruleIndex: index,
        matchIndex: j,
      }),
      ir:
        extras === NO_EXTRAS
          ? { name, hostnames: route.hostnames, match, filters: built.filters, backends: built.backends }
          : { name, hostnames: route.hostnames, match, filters: built.filters, backends: built.backends, ...extras },
    };
  });
  const failed = found.invalid.length > 0;
  return {
    entries: failed ? entries.map((e) => ({ ...e, ir: { ...e.ir, filters: NONE, backends: NONE } })) : entries,
    clusters: found.clusters.length === 0 ? NONE : found.clusters.slice(), // exactly sized: kept with the route
    invalid: dedupe(found.invalid),
    refProblems: dedupe(found.refProblems),
  };
}

function ruleExtras(rule: HTTPRouteRule, invalid: RuleProblem[]): Pick<HttpRouteIR, 'timeouts' | 'retry'> {
  if (!rule.timeouts && !rule.retry) return NO_EXTRAS;
  const timeouts = rule.timeouts ? convertTimeouts(rule.timeouts) : undefined;
  const retry = rule.retry ? convertRetry(rule.retry) : undefined;
  for (const r of [timeouts, retry]) if (r && !r.ok) invalid.push({ reason: 'UnsupportedValue', message: r.problem });
  return { ...(timeouts?.ok && { timeouts: timeouts.value }), ...(retry?.ok && { retry: retry.value }) };
}

function buildEntry(
  rule: HTTPRouteRule,
  match: HttpMatchIR,
  resolved: readonly BackendResult[],
  namespace: string,
  ctx: TranslateContext,
  found: Found,
): Pick<HttpRouteIR, 'filters' | 'backends'> {
  const ruleFilters = convertFilters(rule.filters ?? NONE, match.path, namespace, ctx);
  collect(found, ruleFilters);
  const refs = rule.backendRefs ?? NONE;
  let backends: WeightedBackendIR[] | undefined;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i] as HTTPBackendRef;
    const backend = resolved[i] as BackendResult;
    const filters = convertFilters(ref.filters ?? NONE, match.path, namespace, ctx);
    collect(found, filters, backend);
    const cluster = backend.ok && !filters.force500 ? backend.cluster.name : null;
    const weight = ref.weight ?? 1;
    if (weight <= 0) continue;
    const ir = { weight, cluster, filters: cluster === null ? NONE : filters.filters };
    if (backends) backends.push(ir);
    else backends = [ir];
  }
  if (ruleFilters.force500) return { filters: NONE, backends: NONE };
  // Many rules send to the same backends: one list for all of them.
  return {
    filters: ruleFilters.filters,
    backends: backends ? ctx.memo.share('backends', backendsKey(backends), backends) : NONE,
  };
}

/** A summary of a backend list for Memo.share (the filters are compared by Memo.share itself). */
function backendsKey(backends: readonly WeightedBackendIR[]): string {
  return backends.map((b) => `${b.weight}*${b.cluster}+${b.filters.length}`).join(',');
}

/** Adds what a filter list (and the backend it belongs to, if any) found: the backend's own result first. */
function collect(found: Found, filters: FilterResult, backend?: BackendResult): void {
  if (backend && !backend.ok) found.refProblems.push(backend.problem);
  if (backend?.ok) found.clusters.push(backend.cluster);
  if (filters.invalid.length > 0) found.invalid.push(...filters.invalid);
  if (filters.refProblems.length > 0) found.refProblems.push(...filters.refProblems);
  if (filters.clusters.length > 0) found.clusters.push(...filters.clusters);
}

/** Problems without repeats (same reason and message), first occurrence kept. */
export function dedupe<T extends { readonly reason: string; readonly message: string }>(
  items: readonly T[],
): readonly T[] {
  if (items.length < 2) return items;
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = `${i.reason}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
