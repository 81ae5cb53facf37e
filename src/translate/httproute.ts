/**
 * HTTPRoute -> RouteModel: its rules as route entries and the route-level conditions that do not depend on a parent.
 *
 * Owns: ResolvedRefs (False with the first problem's reason, every problem in the message), and whether the route
 * can be implemented at all: when every rule is unimplementable the route is not Accepted (UnsupportedValue or
 * IncompatibleFilters); when only some are, it is Accepted and PartiallyInvalid (messages start "Dropped Rule").
 */
import type { HTTPRoute } from '../api/types.ts';
import type { HttpFilterIR } from '../ir/types.ts';
import { intern } from '../lib/intern.ts';
import {
  routeIncompatibleFilters,
  routePartiallyInvalid,
  routeResolvedRefs,
  routeUnresolvedRefs,
  routeUnsupportedValue,
} from '../status/conditions.ts';
import type { ConditionValue } from '../status/types.ts';
import type { ClusterRef } from './backends.ts';
import { createdMs, keyOf, namespaceOf, type TranslateContext } from './context.ts';
import type { RuleProblem } from './filters.ts';
import type { RouteEntry, RouteModel } from './model.ts';
import { buildRule, dedupe, type RuleResult } from './rules.ts';

const RESOLVED = routeResolvedRefs();

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function buildRoute(route: HTTPRoute, ctx: TranslateContext): RouteModel {
  const namespace = namespaceOf(route.metadata);
  const key = intern(keyOf(namespace, route.metadata.name));
  const hostnames = lowerCase(route.spec?.hostnames ?? NO_HOSTNAMES);
  const identity = { namespace, name: route.metadata.name, key, createdMs: createdMs(route.metadata), hostnames };
  const rules = (route.spec?.rules ?? []).map((rule, i) => buildRule(rule, i, identity, ctx));
  const entries = flat(rules, (r) => r.entries);
  const refProblems = dedupe(flat(rules, (r) => r.refProblems));
  const first = refProblems[0];
  const badRules: BadRule[] = [];
  rules.forEach((r, index) => {
    if (r.invalid.length > 0) badRules.push({ index, problems: r.invalid, answers500: r.entries.length > 0 });
  });
  const allBad = badRules.length > 0 && badRules.length === rules.length;
  const model: Mutable<RouteModel> = {
    route,
    key,
    namespace,
    createdMs: identity.createdMs,
    hostnames,
    entries,
    clusters: sharedClusters(
      usedClusters(
        entries,
        flat(rules, (r) => r.clusters),
      ),
      ctx,
    ),
    resolvedRefs: first ? routeUnresolvedRefs(first.reason, refProblems.map((p) => p.message).join('; ')) : RESOLVED,
  };
  if (allBad) model.invalid = notAccepted(badRules);
  else if (badRules.length > 0) model.partiallyInvalid = routePartiallyInvalid(dropped(badRules));
  return model;
}

const NO_HOSTNAMES: readonly string[] = Object.freeze([]);

/** The hostnames lower-case: the list itself when it already is (the common case; store lists are frozen). */
function lowerCase(hostnames: readonly string[]): readonly string[] {
  for (const h of hostnames) if (h !== h.toLowerCase()) return hostnames.map((x) => x.toLowerCase());
  return hostnames;
}

/** Routes using the same clusters share one list of them. */
function sharedClusters(refs: readonly ClusterRef[], ctx: TranslateContext): readonly ClusterRef[] {
  return refs.length === 0 ? refs : ctx.memo.share('clusters', refs.map((r) => r.name).join(','), refs);
}

/** The concatenation of one list per rule (the list itself when there is one rule). */
function flat<T>(rules: readonly RuleResult[], pick: (r: RuleResult) => readonly T[]): readonly T[] {
  if (rules.length === 1) return pick(rules[0] as RuleResult);
  return rules.flatMap(pick).slice(); // exactly sized: kept with the route
}

/** The refs the entries' backends and mirror filters name (an entry answering 500 names none), once each. */
function usedClusters(entries: readonly RouteEntry[], refs: readonly ClusterRef[]): readonly ClusterRef[] {
  if (refs.length === 0) return refs;
  const out: ClusterRef[] = [];
  for (const ref of refs) if (!hasName(out, ref.name) && entries.some((e) => uses(e, ref.name))) out.push(ref);
  return out.length === refs.length ? refs : out.slice();
}

function hasName(refs: readonly ClusterRef[], name: string): boolean {
  for (const r of refs) if (r.name === name) return true;
  return false;
}

/** Whether an entry's backends or mirror filters send to cluster `name`. */
function uses({ ir }: RouteEntry, name: string): boolean {
  if (mirrors(ir.filters, name)) return true;
  for (const b of ir.backends) if (b.cluster === name || mirrors(b.filters, name)) return true;
  return false;
}

function mirrors(filters: readonly HttpFilterIR[], name: string): boolean {
  for (const f of filters) if (f.kind === 'requestMirror' && f.cluster === name) return true;
  return false;
}

interface BadRule {
  readonly index: number;
  readonly problems: readonly RuleProblem[];
  /** The rule's matches are kept and answer 500; otherwise the rule is not served at all. */
  readonly answers500: boolean;
}

function describe(bad: readonly BadRule[], served: boolean): string {
  const rule = (b: BadRule): string =>
    `Rule ${b.index}${served && b.answers500 ? ' (answers 500)' : ''}: ${b.problems.map((p) => p.message).join(', ')}`;
  return bad.map(rule).join('; ');
}

function notAccepted(bad: readonly BadRule[]): ConditionValue {
  const incompatible = bad.some((b) => b.problems.some((p) => p.reason === 'IncompatibleFilters'));
  return incompatible ? routeIncompatibleFilters(describe(bad, false)) : routeUnsupportedValue(describe(bad, false));
}

function dropped(bad: readonly BadRule[]): string {
  return `Dropped ${describe(bad, true)}`;
}
