/**
 * Forwarding a matched request: weighted backend choice, the backend's filter plan (redirect, header edits, URL
 * rewrite, mirrors), round-robin endpoint choice, then the engine's dispatch. Invalid backends answer 500, clusters
 * without endpoints 503; upstream failures are mapped by the engine (errors.ts holds the one status table).
 */

import type { Exchange } from './exchange.ts';
import {
  mirrorSampled,
  redirectLocation,
  requestHeaders,
  responseHeaders,
  rewriteHost,
  rewritePath,
} from './filters.ts';
import { EMPTY_PLAN } from './plan.ts';
import type { CompiledBackend, CompiledRoute, FilterPlan, MirrorPlan } from './table.ts';

/** Weighted random choice; null when every weight is zero. */
export function pickBackend(route: CompiledRoute): CompiledBackend | null {
  // hot path
  const backends = route.backends;
  if (backends.length === 1) return route.totalWeight > 0 ? backends[0]! : null;
  if (route.totalWeight <= 0) return null;
  const r = Math.random() * route.totalWeight;
  const cumulative = route.cumulativeWeights;
  for (let i = 0; i < cumulative.length; i++) if (r < cumulative[i]!) return backends[i]!;
  return backends[backends.length - 1]!;
}

function redirect(ex: Exchange, plan: FilterPlan): void {
  const r = plan.redirect!;
  const location = redirectLocation(r, {
    scheme: ex.ctx.scheme,
    host: ex.host,
    port: ex.ctx.port,
    path: ex.path,
    query: ex.query,
  });
  const headers = ['location', location];
  if (plan.responseHeaders.length !== 0) responseHeaders(headers, plan);
  ex.redirect(r.statusCode, headers);
}

/** Request-side passes of a plan: header edits, then URL rewrite (host, path). */
function applyRequestPlan(ex: Exchange, plan: FilterPlan): void {
  if (plan.requestHeaders.length !== 0) requestHeaders(ex.headers, plan);
  if (plan.rewriteHost !== null) rewriteHost(ex.headers, plan.rewriteHost);
  if (plan.rewritePath !== null) {
    ex.path = rewritePath(ex.path, plan.rewritePath);
    ex.targetChanged = true;
  }
}

/** The mirrors this request is copied to (each sampled by its percent); null when none. */
function sampledMirrors(mirrors: readonly MirrorPlan[]): MirrorPlan[] | null {
  let out: MirrorPlan[] | null = null;
  for (const m of mirrors) {
    if (!mirrorSampled(m.percent)) continue;
    out ??= [];
    out.push(m);
  }
  return out;
}

export function forward(ex: Exchange, route: CompiledRoute): void {
  // hot path
  const backend = pickBackend(route);
  if (backend === null) {
    ex.fail('ARCHWAY_ERR_INVALID_BACKEND');
    return;
  }
  ex.backend = backend;
  const plan = backend.plan;
  if (plan.redirect !== null) {
    redirect(ex, plan);
    return;
  }
  const cluster = backend.cluster;
  if (cluster === null) {
    ex.fail('ARCHWAY_ERR_INVALID_BACKEND');
    return;
  }
  const endpoint = cluster.pick();
  if (endpoint === undefined) {
    ex.fail('ARCHWAY_ERR_NO_ENDPOINTS');
    return;
  }
  if (plan !== EMPTY_PLAN) applyRequestPlan(ex, plan);
  const mirrors = plan.mirrors.length === 0 ? null : sampledMirrors(plan.mirrors);
  ex.armTimeout(route);
  ex.dispatch(endpoint, ex.target(), mirrors);
}
