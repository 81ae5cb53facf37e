/**
 * Forwarding a matched request: weighted backend choice, the backend's filter plan (redirect, header edits, URL
 * rewrite, mirrors), round-robin endpoint choice and the undici dispatch whose handler is the Exchange itself.
 * Invalid backends answer 500, clusters without endpoints 503; upstream failures are mapped in exchange.ts.
 */

import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { sendMirror, teeBody } from '../upstream/mirror.ts';
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
import { sendRedirect } from './respond.ts';
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
  ex.status = r.statusCode;
  sendRedirect(ex.res, r.statusCode, headers, ex.ctx.closing);
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

function sampledMirrors(mirrors: readonly MirrorPlan[]): MirrorPlan[] {
  const out: MirrorPlan[] = [];
  for (const m of mirrors) if (mirrorSampled(m.percent)) out.push(m);
  return out;
}

/** Sends the mirrors' copies; returns the body stream the main request must read. */
function mirror(ex: Exchange, mirrors: MirrorPlan[], target: string): Readable | null {
  const copy = { path: target, method: ex.method, headers: ex.headers };
  if (!ex.hasBody) {
    for (const m of mirrors) sendMirror(m.cluster, copy, null);
    return null;
  }
  const tee = teeBody(ex.req, mirrors.length, ex.ctx.limits.mirrorBodyBytes);
  mirrors.forEach((m, i) => {
    sendMirror(m.cluster, copy, tee.copies[i]!);
  });
  return tee.main;
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
  const pool = cluster.pick();
  if (pool === undefined) {
    ex.fail('ARCHWAY_ERR_NO_ENDPOINTS');
    return;
  }
  if (plan !== EMPTY_PLAN) applyRequestPlan(ex, plan);
  const target = ex.target();
  let body: Readable | null = ex.hasBody ? ex.req : null;
  if (plan.mirrors.length !== 0) {
    const mirrors = sampledMirrors(plan.mirrors);
    if (mirrors.length !== 0) body = mirror(ex, mirrors, target);
  }
  ex.armTimeout(route);
  pool.dispatch({ path: target, method: ex.method as Dispatcher.HttpMethod, headers: ex.headers, body }, ex);
}
