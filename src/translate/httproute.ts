/**
 * HTTPRoute -> RouteModel: its rules as route entries and the route-level conditions that do not depend on a parent.
 *
 * Owns: ResolvedRefs (False with the first problem's reason, every problem in the message), and whether the route
 * can be implemented at all: when every rule is unimplementable the route is not Accepted (UnsupportedValue or
 * IncompatibleFilters); when only some are, it is Accepted and PartiallyInvalid (messages start "Dropped Rule").
 */
import type { HTTPRoute } from '../api/types.ts';
import {
  routeIncompatibleFilters,
  routePartiallyInvalid,
  routeResolvedRefs,
  routeUnresolvedRefs,
  routeUnsupportedValue,
} from '../status/conditions.ts';
import type { ConditionValue } from '../status/types.ts';
import { createdMs, keyOf, namespaceOf, type TranslateContext } from './context.ts';
import type { RuleProblem } from './filters.ts';
import type { RouteModel } from './model.ts';
import { buildRule, dedupe } from './rules.ts';

export function buildRoute(route: HTTPRoute, ctx: TranslateContext): RouteModel {
  const namespace = namespaceOf(route.metadata);
  const identity = { namespace, name: route.metadata.name };
  const rules = (route.spec?.rules ?? []).map((rule, i) => buildRule(rule, i, identity, ctx));
  const refProblems = dedupe(rules.flatMap((r) => r.refProblems));
  const first = refProblems[0];
  const resolvedRefs = first
    ? routeUnresolvedRefs(first.reason, refProblems.map((p) => p.message).join('; '))
    : routeResolvedRefs();
  const badRules = rules.flatMap((r, i) =>
    r.invalid.length > 0 ? [{ index: i, problems: r.invalid, answers500: r.entries.length > 0 }] : [],
  );
  const allBad = badRules.length > 0 && badRules.length === rules.length;
  const invalid = allBad ? notAccepted(badRules) : undefined;
  const partiallyInvalid = !allBad && badRules.length > 0 ? routePartiallyInvalid(dropped(badRules)) : undefined;
  return {
    route,
    key: keyOf(namespace, route.metadata.name),
    namespace,
    createdMs: createdMs(route.metadata),
    hostnames: (route.spec?.hostnames ?? []).map((h) => h.toLowerCase()),
    entries: rules.flatMap((r) => r.entries),
    clusters: rules.flatMap((r) => r.clusters),
    resolvedRefs,
    ...(invalid && { invalid }),
    ...(partiallyInvalid && { partiallyInvalid }),
  };
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
