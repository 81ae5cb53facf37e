/**
 * Compiles one HttpListenerIR into a CompiledTable, once per apply: virtual hosts indexed by exact hostname, then
 * wildcard suffixes (longest first), then the catch-all; per virtual host a HostIndex of ordered candidate routes;
 * per route its matchers (regexes compiled here, for the linear-time engine), weighted backends and filter plans.
 * A route match whose regex cannot be compiled is dropped (and listed in `warnings`); the others keep serving.
 * With a CompileCache (compile-cache.ts), what an earlier apply compiled is reused by IR identity.
 *
 * Memory: thousands of routes mostly repeat the same few parts (one backend cluster, no filters, no header match,
 * weight 1), so identical parts are built once and shared, frozen (shared.ts): a route costs its own record and
 * little else. Lists that are empty are one shared empty list; hostnames already lower-case are the IR's own list.
 */

import type { HttpFilterIR, HttpListenerIR, HttpRouteIR, ValueMatchIR, VirtualHostIR } from '../../ir/types.ts';
import { DataplaneError } from '../errors.ts';
import type { ClusterRuntime } from '../upstream/clusters.ts';
import type { CompileCache, RouteResult } from './compile-cache.ts';
import { HostIndex } from './hosts.ts';
import { compilePlan, EMPTY_PLAN } from './plan.ts';
import { compileFullMatch } from './regex.ts';
import { NONE, type Shared, sharedFor } from './shared.ts';
import {
  type CompiledBackend,
  type CompiledRoute,
  type CompiledTable,
  type CompiledVhost,
  type FilterPlan,
  PATH_ANY,
  PATH_EXACT,
  PATH_PREFIX,
  PATH_REGEX,
  type PathKind,
  type RetryPolicy,
  type ValueMatcher,
  type WildcardVhost,
} from './table.ts';

export interface CompileContext {
  /** Cluster runtimes by name. Passing the same map as last time says that no name points elsewhere now. */
  readonly clusters: ReadonlyMap<string, ClusterRuntime>;
  readonly hostCacheSize: number;
  readonly cache?: CompileCache;
}

/** compileRoute, or the reason it failed. */
function compileResult(route: HttpRouteIR, ctx: CompileContext): RouteResult {
  try {
    return compileRoute(route, ctx);
  } catch (err) {
    if (!(err instanceof DataplaneError)) throw err;
    return { error: err.message };
  }
}

/** First entry per name wins (Gateway API: later entries with an equivalent name are ignored). */
function compileValueMatchers(
  list: readonly ValueMatchIR[],
  foldCase: boolean,
  shared: Shared,
): readonly ValueMatcher[] {
  if (list.length === 0) return NONE;
  const seen = new Set<string>();
  const out: ValueMatcher[] = [];
  for (const m of list) {
    const name = foldCase ? m.name.toLowerCase() : m.name;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(
      shared.matcher(name, m.type, m.value, () => {
        const regex = m.type === 'RegularExpression' ? compileFullMatch(m.value) : null;
        return { name, exact: regex === null ? m.value : null, regex };
      }),
    );
  }
  return shared.list(out);
}

/** The route's hostnames lower-case: the IR's own list when it already is. */
function lowerHostnames(list: readonly string[]): readonly string[] {
  if (list.length === 0) return NONE;
  for (const h of list) if (h !== h.toLowerCase()) return Object.freeze(list.map((x) => x.toLowerCase()));
  return list;
}

function pathKind(route: HttpRouteIR): { kind: PathKind; value: string } {
  const p = route.match.path;
  switch (p.type) {
    case 'Exact':
      return { kind: PATH_EXACT, value: p.value };
    case 'PathPrefix': {
      const value = p.value.length > 1 && p.value.endsWith('/') ? p.value.slice(0, -1) : p.value;
      return { kind: value === '/' ? PATH_ANY : PATH_PREFIX, value };
    }
    case 'RegularExpression':
      return { kind: PATH_REGEX, value: p.value };
    default: {
      const never: never = p.type;
      throw new Error(`unknown path match type ${String(never)}`);
    }
  }
}

/** The plan of `filters`, shared with every identical one. */
function planFor(filters: readonly HttpFilterIR[], shared: Shared, clusters: CompileContext['clusters']): FilterPlan {
  return filters.length === 0 ? EMPTY_PLAN : shared.plan(filters, () => compilePlan(filters, clusters));
}

function compileBackends(route: HttpRouteIR, ctx: CompileContext, shared: Shared): readonly CompiledBackend[] {
  const rulePlan = planFor(route.filters, shared, ctx.clusters);
  if (route.backends.length === 0) return shared.list([shared.backend('', null, rulePlan)]);
  const out: CompiledBackend[] = [];
  for (const b of route.backends) {
    const plan = b.filters.length === 0 ? rulePlan : planFor([...route.filters, ...b.filters], shared, ctx.clusters);
    const cluster = b.cluster === null ? null : (ctx.clusters.get(b.cluster) ?? null);
    out.push(shared.backend(b.cluster ?? '', cluster, plan));
  }
  return shared.list(out);
}

export function compileRoute(route: HttpRouteIR, ctx: CompileContext): CompiledRoute {
  const shared = sharedFor(ctx.clusters);
  const { kind, value } = pathKind(route);
  const backends = compileBackends(route, ctx, shared);
  const cumulativeWeights: number[] = [];
  let total = 0;
  for (const b of route.backends.length === 0 ? [{ weight: 1 }] : route.backends) {
    total += Math.max(0, b.weight);
    cumulativeWeights.push(total);
  }
  return {
    name: route.name,
    hostnames: lowerHostnames(route.hostnames),
    pathKind: kind,
    pathValue: value,
    pathRegex: kind === PATH_REGEX ? compileFullMatch(value) : null,
    method: route.match.method,
    headers: compileValueMatchers(route.match.headers, true, shared),
    query: compileValueMatchers(route.match.queryParams, false, shared),
    backends,
    cumulativeWeights: shared.numbers(cumulativeWeights),
    totalWeight: total,
    requestTimeoutMs: route.timeouts?.requestMs ?? 0,
    backendTimeoutMs: route.timeouts?.backendRequestMs ?? 0,
    retry: compileRetry(route.retry, shared),
  };
}

function compileRetry(retry: HttpRouteIR['retry'], shared: Shared): RetryPolicy | null {
  if (retry === undefined || retry.attempts <= 0) return null;
  return shared.retry(retry.attempts, retry.codes, retry.backoffMs);
}

function compileVhost(vh: VirtualHostIR, ctx: CompileContext, warnings: string[]): CompiledVhost {
  const compile = (r: HttpRouteIR): RouteResult => compileResult(r, ctx);
  if (ctx.cache) {
    const result = ctx.cache.vhost(vh, ctx, compile);
    warnings.push(...result.warnings);
    return result.compiled;
  }
  const routes: CompiledRoute[] = [];
  for (const r of vh.routes) {
    const result = compile(r);
    if ('error' in result) warnings.push(`${vh.name}: ${r.name}: ${result.error}`);
    else routes.push(result);
  }
  return { name: vh.name, routes: new HostIndex(routes, ctx.hostCacheSize) };
}

export function compileListener(ir: HttpListenerIR, ctx: CompileContext): CompiledTable {
  return ctx.cache ? ctx.cache.table(ir, ctx, () => compileTable(ir, ctx)) : compileTable(ir, ctx);
}

function compileTable(ir: HttpListenerIR, ctx: CompileContext): CompiledTable {
  const warnings: string[] = [];
  const exactHosts = new Map<string, CompiledVhost>();
  const wildcardHosts: WildcardVhost[] = [];
  let catchAll: CompiledVhost | null = null;
  for (const vh of ir.virtualHosts) {
    const compiled = compileVhost(vh, ctx, warnings);
    const host = vh.hostname?.toLowerCase() ?? null;
    if (host === null) catchAll ??= compiled;
    else if (host.startsWith('*.')) wildcardHosts.push({ suffix: host.slice(1), vhost: compiled });
    else if (!exactHosts.has(host)) exactHosts.set(host, compiled);
  }
  wildcardHosts.sort((a, b) => b.suffix.length - a.suffix.length);
  return { name: ir.name, exactHosts, wildcardHosts, catchAll, warnings };
}
