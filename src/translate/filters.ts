/**
 * HTTPRoute filters -> HttpFilterIR (rule-level and backendRef-level alike).
 *
 * Owns: the supported filters (RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, URLRewrite,
 * RequestMirror), their validation (enums and combinations the spec forbids are IncompatibleFilters or
 * UnsupportedValue and make the rule unimplementable), mirror backends (resolved like backendRefs; an invalid one is
 * dropped and reported in ResolvedRefs), and ExtensionRef, which Archway cannot resolve: ResolvedRefs=False
 * InvalidKind and the rule answers 500, as the spec requires for unresolved custom filters.
 */
import type { HTTPHeaderFilter, HTTPRequestMirrorFilter, HTTPRouteFilter } from '../api/types.ts';
import type { HeaderFilterIR, HttpFilterIR, PathMatchIR } from '../ir/types.ts';
import { type ClusterRef, type RefProblem, resolveBackend } from './backends.ts';
import type { TranslateContext } from './context.ts';
import { convertRedirect, convertRewrite } from './redirects.ts';

export interface RuleProblem {
  /** Accepted reason: UnsupportedValue or IncompatibleFilters. */
  readonly reason: 'UnsupportedValue' | 'IncompatibleFilters';
  readonly message: string;
}

export interface FilterResult {
  readonly filters: readonly HttpFilterIR[];
  readonly clusters: readonly ClusterRef[];
  readonly invalid: readonly RuleProblem[];
  readonly refProblems: readonly RefProblem[];
  /** An ExtensionRef could not be resolved: requests this rule matches must get an error. */
  readonly force500: boolean;
}

/** Filter types that may appear more than once in one list (everything else at most once). */
const REPEATABLE = new Set(['RequestMirror', 'ExtensionRef']);

const NO_FILTERS: FilterResult = Object.freeze({
  filters: Object.freeze([]),
  clusters: Object.freeze([]),
  invalid: Object.freeze([]),
  refProblems: Object.freeze([]),
  force500: false,
});

export function convertFilters(
  filters: readonly HTTPRouteFilter[],
  path: PathMatchIR,
  routeNamespace: string,
  ctx: TranslateContext,
): FilterResult {
  if (filters.length === 0) return NO_FILTERS;
  const acc = { filters: [] as HttpFilterIR[], clusters: [] as ClusterRef[], invalid: [] as RuleProblem[] };
  const refProblems: RefProblem[] = [];
  let force500 = false;
  const combination = combinationProblem(filters);
  if (combination) acc.invalid.push(combination);
  for (const f of filters) {
    const out = convertOne(f, path, routeNamespace, ctx);
    if ('filter' in out) acc.filters.push(out.filter);
    if ('cluster' in out) acc.clusters.push(out.cluster);
    if ('invalid' in out) acc.invalid.push(out.invalid);
    if ('ref' in out) refProblems.push(out.ref);
    if ('force500' in out) force500 = true;
  }
  return { ...acc, refProblems, force500 };
}

function combinationProblem(filters: readonly HTTPRouteFilter[]): RuleProblem | undefined {
  const types = filters.map((f) => f.type);
  if (types.includes('RequestRedirect') && types.includes('URLRewrite')) {
    return { reason: 'IncompatibleFilters', message: 'RequestRedirect and URLRewrite cannot be combined' };
  }
  const repeated = types.find((t, i) => !REPEATABLE.has(t) && types.indexOf(t) !== i);
  return repeated
    ? { reason: 'IncompatibleFilters', message: `filter ${repeated} is given more than once` }
    : undefined;
}

type Converted =
  | { readonly filter: HttpFilterIR; readonly cluster?: ClusterRef }
  | { readonly invalid: RuleProblem }
  | { readonly ref: RefProblem }
  | { readonly ref: RefProblem; readonly force500: true };

const unsupported = (message: string): Converted => ({ invalid: { reason: 'UnsupportedValue', message } });

function convertOne(f: HTTPRouteFilter, path: PathMatchIR, routeNamespace: string, ctx: TranslateContext): Converted {
  switch (f.type) {
    case 'RequestHeaderModifier':
      return headerFilter('requestHeaders', f.requestHeaderModifier, f.type);
    case 'ResponseHeaderModifier':
      return headerFilter('responseHeaders', f.responseHeaderModifier, f.type);
    case 'RequestRedirect': {
      const r = f.requestRedirect
        ? convertRedirect(f.requestRedirect, path)
        : { ok: false as const, problem: 'requestRedirect is required' };
      return r.ok ? { filter: { kind: 'requestRedirect', redirect: r.value } } : unsupported(r.problem);
    }
    case 'URLRewrite': {
      const r = f.urlRewrite
        ? convertRewrite(f.urlRewrite, path)
        : { ok: false as const, problem: 'urlRewrite is required' };
      return r.ok ? { filter: { kind: 'urlRewrite', ...r.value } } : unsupported(r.problem);
    }
    case 'RequestMirror':
      return f.requestMirror ? mirror(f.requestMirror, routeNamespace, ctx) : unsupported('requestMirror is required');
    case 'ExtensionRef': {
      const ref = f.extensionRef;
      const what = ref ? `${ref.group || 'core'}/${ref.kind} "${ref.name}"` : '(missing extensionRef)';
      return {
        ref: { reason: 'InvalidKind', message: `ExtensionRef filter ${what} is not supported` },
        force500: true,
      };
    }
    default:
      return unsupported(`filter type "${f.type}" is not supported`);
  }
}

function headerFilter(kind: HeaderFilterIR['kind'], spec: HTTPHeaderFilter | undefined, type: string): Converted {
  if (!spec) return unsupported(`${type} needs its configuration`);
  const firstOfEach = (list: readonly { name: string; value: string }[]) => {
    const out = new Map<string, { name: string; value: string }>();
    for (const h of list)
      if (!out.has(h.name.toLowerCase())) out.set(h.name.toLowerCase(), { name: h.name.toLowerCase(), value: h.value });
    return [...out.values()];
  };
  const set = firstOfEach(spec.set ?? []);
  const add = firstOfEach(spec.add ?? []);
  const remove = [...new Set((spec.remove ?? []).map((n) => n.toLowerCase()))];
  const names = [...set.map((h) => h.name), ...add.map((h) => h.name), ...remove];
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) return unsupported(`${type}: header "${twice}" has more than one action`);
  return { filter: { kind, set, add, remove } };
}

function mirror(spec: HTTPRequestMirrorFilter, routeNamespace: string, ctx: TranslateContext): Converted {
  const percent = mirrorPercent(spec);
  if (typeof percent === 'string') return unsupported(`RequestMirror: ${percent}`);
  const backend = resolveBackend(spec.backendRef, routeNamespace, ctx);
  if (!backend.ok) return { ref: backend.problem };
  return { filter: { kind: 'requestMirror', cluster: backend.cluster.name, percent }, cluster: backend.cluster };
}

/** The mirrored share in percent (100 when neither percent nor fraction is given), or why it is invalid. */
function mirrorPercent(spec: HTTPRequestMirrorFilter): number | string {
  if (spec.percent !== undefined && spec.fraction !== undefined) return 'only one of percent and fraction may be set';
  if (spec.percent !== undefined) {
    return spec.percent >= 0 && spec.percent <= 100 ? spec.percent : 'percent must be between 0 and 100';
  }
  if (spec.fraction === undefined) return 100;
  const denominator = spec.fraction.denominator ?? 100;
  const { numerator } = spec.fraction;
  if (denominator <= 0 || numerator < 0 || numerator > denominator) return 'fraction must be between 0 and 1';
  return (numerator / denominator) * 100;
}
