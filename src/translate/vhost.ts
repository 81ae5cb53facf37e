/**
 * One virtual host: the entries of the routes attached to a Gateway listener, in precedence order, as VirtualHostIR.
 *
 * Owns: the order of VirtualHostIR.routes (precedence.ts keys, unique within a virtual host, so the order is total)
 * and the clusters its routes use. Given the previous translation's virtual host and what changed on the listener
 * (attached.ts), the entries of routes that went are taken out and those of routes that came are put in by binary
 * search: the same result as sorting everything, without touching what did not change. A rebuild reuses the
 * previous route IR objects where the entry and its hostnames are the same. An unchanged virtual host is the
 * previous object.
 */
import { isDeepStrictEqual } from 'node:util';
import type { HttpRouteIR, VirtualHostIR } from '../ir/types.ts';
import type { AttachedList, ListenerChanges, ListenerRoutes } from './attached.ts';
import type { ClusterRef } from './backends.ts';
import type { TranslateContext } from './context.ts';
import { sameItems } from './memo.ts';
import type { ListenerModel, RouteEntry } from './model.ts';
import { compareKeys } from './precedence.ts';

interface ClusterUse {
  readonly ref: ClusterRef;
  /** Attached routes using it. */
  readonly n: number;
}

interface VhostState {
  readonly listener: ListenerModel;
  /** Parallel arrays, in precedence order: the entry and its route IR (irs is vhost.routes). */
  readonly entries: readonly RouteEntry[];
  readonly irs: readonly HttpRouteIR[];
  readonly clusters: ReadonlyMap<string, ClusterUse>;
  readonly vhost: VirtualHostIR;
}

export interface VhostResult {
  readonly vhost: VirtualHostIR;
  /** Clusters its routes use, by name. */
  readonly clusters: ReadonlyMap<string, { readonly ref: ClusterRef }>;
}

export function buildVhost(
  name: string,
  listener: ListenerModel,
  attached: ListenerRoutes,
  ctx: TranslateContext,
): VhostResult {
  const prev = ctx.memo.previous<VhostState>('vhost', name);
  const updatable = attached.updating && prev !== undefined && prev.listener === listener;
  const changes = updatable ? attached.changes(listener) : undefined;
  const next =
    updatable && !changes ? prev : (updatable && update(prev, changes)) || rebuild(attached.list(listener), prev);
  const vhost = sameVhost(prev, listener, next.irs)
    ? (prev as VhostState).vhost
    : { name, hostname: listener.hostname, ...(listener.tls && { tls: listener.tls }), routes: next.irs };
  const state = { ...next, listener, vhost };
  ctx.memo.keep('vhost', name, state);
  return state;
}

type Parts = Pick<VhostState, 'entries' | 'irs' | 'clusters'>;

function sameVhost(prev: VhostState | undefined, l: ListenerModel, irs: readonly HttpRouteIR[]): boolean {
  if (!prev || prev.vhost.hostname !== l.hostname || !sameItems(prev.irs, irs)) return false;
  return prev.vhost.tls === l.tls || isDeepStrictEqual(prev.vhost.tls, l.tls);
}

/** The previous entries minus those of routes that went, plus those of routes that came; null if inconsistent. */
function update(prev: VhostState, changes: ListenerChanges | undefined): Parts | null {
  if (!changes) return prev;
  const entries = prev.entries.slice();
  const irs = prev.irs.slice();
  const { removed, added } = changes;
  const taken = new Map<RouteEntry, HttpRouteIR>();
  for (const route of removed.routes) {
    for (const e of route.entries) {
      const at = search(entries, e);
      if (at < 0 || entries[at] !== e) return null;
      taken.set(e, irs[at] as HttpRouteIR);
      entries.splice(at, 1);
      irs.splice(at, 1);
    }
  }
  for (let i = 0; i < added.routes.length; i++) {
    const hostnames = added.hostnames[i] as readonly string[];
    for (const e of added.routes[i]?.entries ?? []) {
      const at = search(entries, e);
      if (at >= 0) return null; // two entries with one key: not a state this can update
      const old = taken.get(e);
      entries.splice(~at, 0, e);
      irs.splice(~at, 0, old && sameItems(old.hostnames, hostnames) ? old : routeIR(e, hostnames));
    }
  }
  return { entries, irs, clusters: countClusters(prev.clusters, removed, added) };
}

/** The index of `e`'s key in `entries`, or ~(where it would go). */
function search(entries: readonly RouteEntry[], e: RouteEntry): number {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys((entries[mid] as RouteEntry).precedence, e.precedence);
    if (c < 0) lo = mid + 1;
    else if (c > 0) hi = mid - 1;
    else return mid;
  }
  return ~lo;
}

/** All entries sorted; route IR objects of the previous state are reused where entry and hostnames are the same. */
function rebuild(list: AttachedList, prev: VhostState | undefined): Parts {
  const before = new Map<RouteEntry, HttpRouteIR>();
  if (prev)
    for (let i = 0; i < prev.entries.length; i++) before.set(prev.entries[i] as RouteEntry, prev.irs[i] as HttpRouteIR);
  const pairs: { e: RouteEntry; ir: HttpRouteIR }[] = [];
  for (let i = 0; i < list.routes.length; i++) {
    const hostnames = list.hostnames[i] as readonly string[];
    for (const e of list.routes[i]?.entries ?? []) {
      const old = before.get(e);
      pairs.push({ e, ir: old && sameItems(old.hostnames, hostnames) ? old : routeIR(e, hostnames) });
    }
  }
  pairs.sort((a, b) => compareKeys(a.e.precedence, b.e.precedence));
  const clusters = countClusters(new Map(), { routes: [], hostnames: [] }, list);
  return { entries: pairs.map((p) => p.e), irs: pairs.map((p) => p.ir), clusters };
}

function countClusters(
  before: ReadonlyMap<string, ClusterUse>,
  removed: AttachedList,
  added: AttachedList,
): ReadonlyMap<string, ClusterUse> {
  if (removed.routes.length === 0 && added.routes.length === 0) return before;
  const counts = new Map<string, { ref: ClusterRef; n: number }>();
  const count = (ref: ClusterRef, d: number) => {
    const c = counts.get(ref.name) ?? { ...(before.get(ref.name) ?? { ref, n: 0 }) };
    c.n += d;
    counts.set(ref.name, c);
  };
  for (const route of removed.routes) for (const ref of route.clusters) count(ref, -1);
  for (const route of added.routes) for (const ref of route.clusters) count(ref, 1);
  const out = new Map(before);
  for (const [name, c] of counts) {
    if (c.n > 0) out.set(name, c);
    else out.delete(name);
  }
  return out;
}

/**
 * The entry served for `hostnames`: its own IR when they are the route's (the common case), else a copy with them;
 * fields in a stable order (name, hostnames, match, ...) so dumps read alike.
 */
function routeIR({ ir }: RouteEntry, hostnames: readonly string[]): HttpRouteIR {
  if (sameItems(ir.hostnames, hostnames)) return ir;
  return {
    name: ir.name,
    hostnames,
    match: ir.match,
    filters: ir.filters,
    backends: ir.backends,
    ...(ir.timeouts && { timeouts: ir.timeouts }),
    ...(ir.retry && { retry: ir.retry }),
  };
}
