/**
 * What the data plane keeps between applies so that an apply compiles only what changed (one cache per data plane).
 *
 * Owns: reuse by IR identity (the translator keeps unchanged IR objects, and their order). A compiled route is
 * reused for the same HttpRouteIR while the cluster runtimes it points at are still the ones of this apply (the same
 * clusters map means no name points elsewhere). A virtual host is taken over from the previous apply under its
 * name: as is for the same VirtualHostIR; for a changed one its routes are paired with the previous ones in order
 * (no route is looked up: a WeakMap lookup per route costs more than the pairing) and only new routes are compiled.
 * A table is reused for the same HttpListenerIR. The clusters a route uses are kept as one shared list per set of
 * names (most routes use the same few), not one list per route.
 */
import type { HttpFilterIR, HttpListenerIR, HttpRouteIR, VirtualHostIR } from '../../ir/types.ts';
import { diffLists } from '../../lib/listdiff.ts';
import type { ClusterRuntime } from '../upstream/clusters.ts';
import { HostIndex } from './hosts.ts';
import type { CompiledRoute, CompiledTable, CompiledVhost } from './table.ts';

export type RouteResult = CompiledRoute | { readonly error: string };
type Clusters = ReadonlyMap<string, ClusterRuntime>;
type ClusterUse = readonly [name: string, runtime: ClusterRuntime | undefined];

export interface CacheContext {
  readonly clusters: Clusters;
  readonly hostCacheSize: number;
}

interface CachedRoute {
  /** The clusters map it was last found valid with. */
  clusters: Clusters;
  readonly uses: readonly ClusterUse[];
  readonly result: RouteResult;
}

export interface VhostResult {
  readonly compiled: CompiledVhost;
  /** Routes that could not be compiled, with the reason. */
  readonly warnings: readonly string[];
}

interface CachedVhost extends VhostResult {
  readonly ir: VirtualHostIR;
  readonly clusters: Clusters;
  readonly hostCacheSize: number;
  /** Compiled routes in order (parallel to ir.routes when there are no warnings). */
  readonly routes: readonly CompiledRoute[];
}

export class CompileCache {
  readonly #routes = new WeakMap<HttpRouteIR, CachedRoute>();
  readonly #tables = new WeakMap<HttpListenerIR, { clusters: Clusters; hostCacheSize: number; table: CompiledTable }>();
  #vhosts = new Map<string, CachedVhost>();
  #next = new Map<string, CachedVhost>();
  /** Cluster-use lists by their names ("\0"-joined), for one clusters map. */
  #uses: { clusters: Clusters | null; byNames: Map<string, readonly ClusterUse[]> } = {
    clusters: null,
    byNames: new Map(),
  };

  /** Ends an apply: the virtual hosts it compiled become the previous ones (the others are dropped). */
  rotate(): void {
    this.#vhosts = this.#next;
    this.#next = new Map();
  }

  route(route: HttpRouteIR, ctx: CacheContext, compile: () => RouteResult): RouteResult {
    const cached = this.#routes.get(route);
    if (cached && stillValid(cached, ctx.clusters)) return cached.result;
    const result = compile();
    this.#routes.set(route, { clusters: ctx.clusters, uses: this.#clusterUses(route, ctx.clusters), result });
    return result;
  }

  /** The cluster names a route resolves at compile time (its backends' and its mirror filters'), with their runtimes. */
  #clusterUses(route: HttpRouteIR, clusters: Clusters): readonly ClusterUse[] {
    if (this.#uses.clusters !== clusters) this.#uses = { clusters, byNames: new Map() };
    const names = clusterNames(route);
    const key = names.length === 1 ? names[0]! : names.join('\0');
    let uses = this.#uses.byNames.get(key);
    if (uses === undefined) {
      uses = Object.freeze(names.map((n): ClusterUse => [n, clusters.get(n)]));
      this.#uses.byNames.set(key, uses);
    }
    return uses;
  }

  table(ir: HttpListenerIR, ctx: CacheContext, build: () => CompiledTable): CompiledTable {
    const cached = this.#tables.get(ir);
    if (cached && cached.clusters === ctx.clusters && cached.hostCacheSize === ctx.hostCacheSize) return cached.table;
    const table = build();
    this.#tables.set(ir, { clusters: ctx.clusters, hostCacheSize: ctx.hostCacheSize, table });
    return table;
  }

  vhost(vh: VirtualHostIR, ctx: CacheContext, compile: (r: HttpRouteIR) => RouteResult): VhostResult {
    const prev = this.#next.get(vh.name) ?? this.#vhosts.get(vh.name);
    const usable = prev && prev.hostCacheSize === ctx.hostCacheSize && prev.clusters === ctx.clusters;
    const entry =
      usable && prev.ir === vh
        ? prev
        : (usable && prev.warnings.length === 0 && this.#update(prev, vh, ctx, compile)) ||
          this.#build(vh, ctx, compile, prev);
    this.#next.set(vh.name, entry);
    return entry;
  }

  /** Only the routes new since `prev` are compiled; undefined when that does not apply. */
  #update(
    prev: CachedVhost,
    vh: VirtualHostIR,
    ctx: CacheContext,
    compile: (r: HttpRouteIR) => RouteResult,
  ): CachedVhost | undefined {
    const { from, removed: gone } = diffLists(prev.ir.routes, vh.routes);
    const routes: CompiledRoute[] = new Array(vh.routes.length);
    const added: CompiledRoute[] = [];
    for (let j = 0; j < vh.routes.length; j++) {
      const at = from[j] as number;
      if (at >= 0) {
        routes[j] = prev.routes[at] as CompiledRoute;
        continue;
      }
      const r = this.route(vh.routes[j] as HttpRouteIR, ctx, () => compile(vh.routes[j] as HttpRouteIR));
      if ('error' in r) return undefined;
      routes[j] = r;
      added.push(r);
    }
    const removed = gone.map((i) => prev.routes[i] as CompiledRoute);
    // Only the host groups the changed routes name are rebuilt.
    const index =
      prev.hostCacheSize === ctx.hostCacheSize
        ? prev.compiled.routes.next(routes, from, removed, added, ctx.hostCacheSize)
        : new HostIndex(routes, ctx.hostCacheSize);
    return { ...base(vh, ctx), routes, warnings: [], compiled: { name: vh.name, routes: index } };
  }

  #build(
    vh: VirtualHostIR,
    ctx: CacheContext,
    compile: (r: HttpRouteIR) => RouteResult,
    prev: CachedVhost | undefined,
  ): CachedVhost {
    const routes: CompiledRoute[] = [];
    const warnings: string[] = [];
    for (const r of vh.routes) {
      const result = this.route(r, ctx, () => compile(r));
      if ('error' in result) warnings.push(`${vh.name}: ${r.name}: ${result.error}`);
      else routes.push(result);
    }
    const same = prev && prev.hostCacheSize === ctx.hostCacheSize && sameItems(prev.routes, routes);
    const compiled = same ? prev.compiled : { name: vh.name, routes: new HostIndex(routes, ctx.hostCacheSize) };
    return { ...base(vh, ctx), routes, warnings, compiled };
  }
}

function base(vh: VirtualHostIR, ctx: CacheContext) {
  return { ir: vh, clusters: ctx.clusters, hostCacheSize: ctx.hostCacheSize };
}

/** The cluster names a route resolves at compile time: its backends' and its mirror filters', in order, once each. */
function clusterNames(route: HttpRouteIR): string[] {
  const names = new Set<string>();
  const mirrors = (filters: readonly HttpFilterIR[]) => {
    for (const f of filters) if (f.kind === 'requestMirror') names.add(f.cluster);
  };
  mirrors(route.filters);
  for (const b of route.backends) {
    if (b.cluster !== null) names.add(b.cluster);
    mirrors(b.filters);
  }
  return [...names];
}

function stillValid(cached: CachedRoute, clusters: Clusters): boolean {
  if (cached.clusters === clusters) return true;
  for (const [name, runtime] of cached.uses) if (clusters.get(name) !== runtime) return false;
  cached.clusters = clusters;
  return true;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
