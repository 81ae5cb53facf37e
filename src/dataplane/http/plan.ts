/**
 * Folds a rule's filters and one backend's filters (applied after the rule's) into a FilterPlan, at compile time.
 * Header edits keep their order; a later urlRewrite / redirect of the same kind replaces an earlier one; mirrors
 * accumulate (those naming an unknown cluster are dropped: there is nowhere to send the copy).
 */

import type { HttpFilterIR, PathRewriteIR } from '../../ir/types.ts';
import type { ClusterRuntime } from '../upstream/clusters.ts';
import type { FilterPlan, HeaderEdits, MirrorPlan, PathRewrite, RedirectPlan } from './table.ts';

export const EMPTY_PLAN: FilterPlan = {
  requestHeaders: [],
  responseHeaders: [],
  redirect: null,
  rewriteHost: null,
  rewritePath: null,
  mirrors: [],
};

/** A prefix or replacement without its trailing slash ("/" becomes ""). */
function trimSlash(s: string): string {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}

export function compilePathRewrite(p: PathRewriteIR): PathRewrite {
  return p.type === 'full'
    ? { prefix: null, value: p.value }
    : { prefix: trimSlash(p.prefix), value: trimSlash(p.value) };
}

interface MutablePlan {
  requestHeaders: HeaderEdits[];
  responseHeaders: HeaderEdits[];
  redirect: RedirectPlan | null;
  rewriteHost: string | null;
  rewritePath: PathRewrite | null;
  mirrors: MirrorPlan[];
}

function addFilter(plan: MutablePlan, f: HttpFilterIR, clusters: ReadonlyMap<string, ClusterRuntime>): void {
  switch (f.kind) {
    case 'requestHeaders':
      plan.requestHeaders.push({ set: f.set, add: f.add, remove: f.remove });
      return;
    case 'responseHeaders':
      plan.responseHeaders.push({ set: f.set, add: f.add, remove: f.remove });
      return;
    case 'requestRedirect': {
      const r = f.redirect;
      plan.redirect = {
        scheme: r.scheme ?? null,
        hostname: r.hostname ?? null,
        port: r.port ?? null,
        path: r.path === undefined ? null : compilePathRewrite(r.path),
        statusCode: r.statusCode,
      };
      return;
    }
    case 'urlRewrite':
      if (f.hostname !== undefined) plan.rewriteHost = f.hostname;
      if (f.path !== undefined) plan.rewritePath = compilePathRewrite(f.path);
      return;
    case 'requestMirror': {
      const cluster = clusters.get(f.cluster);
      if (cluster !== undefined && f.percent > 0) plan.mirrors.push({ cluster, percent: f.percent });
      return;
    }
    default: {
      const never: never = f;
      throw new Error(`unknown filter ${JSON.stringify(never)}`);
    }
  }
}

/** The plan for `filters` applied in order; EMPTY_PLAN when there is nothing to do. */
export function compilePlan(
  filters: readonly HttpFilterIR[],
  clusters: ReadonlyMap<string, ClusterRuntime>,
): FilterPlan {
  if (filters.length === 0) return EMPTY_PLAN;
  const plan: MutablePlan = {
    requestHeaders: [],
    responseHeaders: [],
    redirect: null,
    rewriteHost: null,
    rewritePath: null,
    mirrors: [],
  };
  for (const f of filters) addFilter(plan, f, clusters);
  return plan;
}
