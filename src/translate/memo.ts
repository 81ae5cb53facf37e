/**
 * Memoization across translations: what one translate may take over from the previous one, and when.
 *
 * Owns: TranslateCache (a plain object the caller keeps and hands to every translate) and the reuse rules.
 * - The snapshot's routes are compared with the previous translation's by identity (src/lib/listdiff.ts): the store keeps the
 *   identity of unchanged objects. The AttachedRoute of an unchanged HTTPRoute is reused while nothing it depends on
 *   changed: when no table a lookup reads (Services, Secrets, ConfigMaps, Namespaces, ReferenceGrants) and no
 *   Gateway model changed, without looking further; otherwise while every lookup it made (context.ts Dependencies)
 *   sees the same object and the Gateway models its parentRefs named are the same (its model may be kept while only
 *   its parents change).
 * - What changed (routes whose AttachedRoute is new or gone) is handed on, so that virtual hosts and attachment
 *   counts are updated rather than rebuilt (vhost.ts, attach.ts).
 * - A cluster is rebuilt only when its Service port or its EndpointSlices change.
 * - Gateway models and other small values are built again, then replaced by the previous object when deep-equal.
 * Unchanged output keeps its identity, so consumers (data plane, status publishing) can skip it by identity; in
 * particular a status value is only reused for the same object, so its generation is unchanged too.
 * The state is replaced when a translation completes; one that throws leaves none (the next one starts afresh).
 * Results with and without a cache are deep-equal.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EndpointSlice, HTTPRoute, ServicePort } from '../api/types.ts';
import type { ClusterIR } from '../ir/types.ts';
import { diffLists } from '../lib/listdiff.ts';
import type { RouteStatusValue } from '../status/types.ts';
import type { Snapshot } from '../store/snapshot.ts';
import { type KeptDependencies, keepDependencies, stillValid, type TranslateContext, tracking } from './context.ts';
import type { AttachedRoute, GatewayModel, ParentModel, RouteModel } from './model.ts';

/** Keep one per pipeline and pass it to every translate(snapshot, options, cache). Its contents are private. */
export interface TranslateCache {
  state?: MemoState | undefined;
}

/** The snapshot lists lookups can read. */
interface Tables {
  readonly grants: readonly unknown[];
  readonly services: readonly unknown[];
  readonly secrets: readonly unknown[];
  readonly configMaps: readonly unknown[];
  readonly namespaces: readonly unknown[];
}

type StatusEntry = readonly [string, RouteStatusValue];

/** An AttachedRoute with what it was built from, and its status once reported. */
interface RouteRecord extends AttachedRoute {
  readonly modelDeps: KeptDependencies;
  readonly parentDeps: KeptDependencies;
  readonly gateways: readonly (readonly [string, GatewayModel | undefined])[];
  /**
   * Its status entry once reported, and the controller name it was reported for. Always present (undefined until
   * reported), so that records keep one shape and no out-of-object properties.
   */
  status: StatusEntry | undefined;
  statusController: string | undefined;
}

interface ClusterMemo {
  readonly port: ServicePort;
  readonly slices: readonly EndpointSlice[];
  readonly ir: ClusterIR;
}

/** What a completed translation leaves for the next one. */
interface MemoState {
  readonly tables: Tables;
  readonly gateways: readonly GatewayModel[];
  readonly routes: readonly HTTPRoute[];
  readonly records: readonly RouteRecord[];
  readonly clusters: ReadonlyMap<string, ClusterMemo>;
  /** Values reused when deep-equal, and other state kept by name (virtual hosts, counts). */
  readonly values: ReadonlyMap<string, unknown>;
  /** Values shared by every route part equal to them (see Memo.share). */
  readonly shared: Map<string, unknown>;
}

/** The routes of a translation, and what changed since the previous one. */
export interface RoutesStep {
  readonly routes: readonly AttachedRoute[];
  /** AttachedRoutes of the previous translation not used by this one. */
  readonly removed: readonly AttachedRoute[];
  /** AttachedRoutes new in this translation. */
  readonly added: readonly AttachedRoute[];
}

interface Stable<T> {
  readonly value: T;
  readonly source: object | undefined;
}

export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function tablesOf(snap: Snapshot): Tables {
  const { referenceGrants: grants, services, secrets, configMaps, namespaces } = snap;
  return { grants, services, secrets, configMaps, namespaces };
}

function sameTables(a: Tables, b: Tables): boolean {
  return (
    sameItems(a.grants, b.grants) &&
    sameItems(a.services, b.services) &&
    sameItems(a.secrets, b.secrets) &&
    sameItems(a.configMaps, b.configMaps) &&
    sameItems(a.namespaces, b.namespaces)
  );
}

export type BuildRoute = (route: HTTPRoute, ctx: TranslateContext) => RouteModel;
export type Attach = (
  model: RouteModel,
  gatewayOf: (key: string) => GatewayModel | undefined,
  ctx: TranslateContext,
) => { readonly parents: readonly ParentModel[]; readonly attachments: AttachedRoute['attachments'] };

/** One translation's access to the cache; without a cache nothing is looked up or kept. */
export class Memo {
  readonly #cache: TranslateCache | undefined;
  readonly #prev: MemoState | undefined;
  readonly #tables: Tables;
  /** No table a lookup reads changed since the previous translation. */
  readonly #clean: boolean;
  readonly #grantsSame: boolean;
  #gateways: readonly GatewayModel[] = [];
  /** #clean, and the Gateway models are the previous translation's. */
  #gatewaysClean = false;
  #routes: readonly HTTPRoute[] = [];
  #records: readonly RouteRecord[] = [];
  readonly #clusters = new Map<string, ClusterMemo>();
  readonly #values = new Map<string, unknown>();
  readonly #sharedValues: Map<string, unknown>;
  /** Lists of one Gateway seen, shared by records (see #shared). */
  readonly #seen = new Map<string, RouteRecord['gateways']>();

  constructor(cache: TranslateCache | undefined, snap: Snapshot) {
    this.#cache = cache;
    this.#prev = cache?.state;
    if (cache) cache.state = undefined;
    this.#tables = tablesOf(snap);
    this.#clean = this.#prev !== undefined && sameTables(this.#prev.tables, this.#tables);
    this.#grantsSame = this.#prev !== undefined && sameItems(this.#prev.tables.grants, this.#tables.grants);
    // Carried over (not rebuilt: most routes are not built again); started afresh when it has grown large.
    const shared = this.#prev?.shared;
    this.#sharedValues = shared && shared.size <= 2 * snap.httpRoutes.length + 256 ? shared : new Map();
  }

  /** Whether anything is kept (a cache was given). */
  get keeping(): boolean {
    return this.#cache !== undefined;
  }

  /** Leaves this translation's state for the next one. */
  commit(): void {
    if (!this.#cache) return;
    this.#cache.state = {
      tables: this.#tables,
      gateways: this.#gateways,
      routes: this.#routes,
      records: this.#records,
      clusters: this.#clusters,
      values: this.#values,
      shared: this.#sharedValues,
    };
  }

  /** The Gateway models, each replaced by the previous one when deep-equal. */
  gateways(models: readonly GatewayModel[]): readonly GatewayModel[] {
    const out = models.map((g) => this.stable('gateway', g.key, g));
    this.#gateways = out;
    this.#gatewaysClean = this.#clean && this.#prev !== undefined && sameItems(this.#prev.gateways, out);
    return out;
  }

  /** Whether the Gateway models (and so the listeners) are the previous translation's. */
  get gatewaysUnchanged(): boolean {
    return this.#prev !== undefined && sameItems(this.#prev.gateways, this.#gateways);
  }

  /** Every route's AttachedRoute, reusing the previous ones that are still valid. */
  routes(
    list: readonly HTTPRoute[],
    gateways: ReadonlyMap<string, GatewayModel>,
    ctx: TranslateContext,
    build: BuildRoute,
    attach: Attach,
  ): RoutesStep {
    const prevRoutes = this.#prev?.routes ?? [];
    const prevRecords = this.#prev?.records ?? [];
    const diff = diffLists(prevRoutes, list);
    const removed: AttachedRoute[] = diff.removed.map((k) => prevRecords[k] as RouteRecord);
    const added: AttachedRoute[] = [];
    const records: RouteRecord[] = new Array(list.length);
    for (let j = 0; j < list.length; j++) {
      const at = diff.from[j] as number;
      const old = at < 0 ? undefined : prevRecords[at];
      const record = this.#record(list[j] as HTTPRoute, old, gateways, ctx, build, attach);
      records[j] = record;
      if (record === old) continue;
      if (old) removed.push(old);
      added.push(record);
    }
    this.#routes = list;
    this.#records = records;
    return { routes: records, removed, added };
  }

  #record(
    route: HTTPRoute,
    old: RouteRecord | undefined,
    gateways: ReadonlyMap<string, GatewayModel>,
    ctx: TranslateContext,
    build: BuildRoute,
    attach: Attach,
  ): RouteRecord {
    if (old && this.#gatewaysClean) return old;
    const modelOk = old !== undefined && (this.#clean || stillValid(old.modelDeps, ctx, this.#grantsSame));
    if (modelOk && this.#parentsValid(old, gateways, ctx)) return old;
    return this.#build(route, modelOk ? old : undefined, gateways, ctx, build, attach);
  }

  /** A new record: with `keep`'s model (still valid), else a new one; new parents either way. */
  #build(
    route: HTTPRoute,
    keep: RouteRecord | undefined,
    gateways: ReadonlyMap<string, GatewayModel>,
    ctx: TranslateContext,
    build: BuildRoute,
    attach: Attach,
  ): RouteRecord {
    let model: RouteModel;
    let modelDeps: KeptDependencies;
    if (keep) {
      model = keep.model;
      modelDeps = keep.modelDeps;
    } else {
      const view = this.keeping ? tracking(ctx) : ctx;
      model = build(route, view);
      modelDeps = keepDependencies(view.deps);
    }
    const seen: [string, GatewayModel | undefined][] = [];
    const gatewayOf = (key: string): GatewayModel | undefined => {
      const gw = gateways.get(key);
      if (this.keeping) seen.push([key, gw]);
      return gw;
    };
    const view = this.keeping ? tracking(ctx) : ctx;
    // Routes attached alike (the same parentRefs, listener objects, hostnames and conditions) share their parents and
    // attachments (which follow from the parents: the same listener objects belong to the same Gateway model).
    const { parents, attachments } = this.share('parents', parentsKey, attach(model, gatewayOf, view), sameParents);
    const parentDeps = keepDependencies(view.deps);
    return {
      model,
      parents,
      attachments,
      modelDeps,
      parentDeps,
      gateways: this.#shared(seen),
      status: undefined,
      statusController: undefined,
    };
  }

  /** The Gateways a record saw: when it is one (the common case), a list shared by every record that saw the same. */
  #shared(seen: readonly (readonly [string, GatewayModel | undefined])[]): RouteRecord['gateways'] {
    if (seen.length !== 1) return seen;
    const [key, gw] = seen[0] as readonly [string, GatewayModel | undefined];
    const known = this.#seen.get(key);
    if (known && (known[0] as readonly [string, GatewayModel | undefined])[1] === gw) return known;
    this.#seen.set(key, seen);
    return seen;
  }

  #parentsValid(old: RouteRecord, gateways: ReadonlyMap<string, GatewayModel>, ctx: TranslateContext): boolean {
    for (const [key, gw] of old.gateways) if (gateways.get(key) !== gw) return false;
    return this.#clean || stillValid(old.parentDeps, ctx, this.#grantsSame);
  }

  /** The route's status entry (object key, value), computed once per AttachedRoute and controller name. */
  routeStatus(
    route: AttachedRoute,
    controllerName: string,
    build: (route: AttachedRoute, controllerName: string) => StatusEntry,
  ): StatusEntry {
    const record = route as RouteRecord;
    if (record.status !== undefined && record.statusController === controllerName) return record.status;
    const entry = build(route, controllerName);
    if (this.keeping) {
      record.status = entry;
      record.statusController = controllerName;
    }
    return entry;
  }

  cluster(name: string, port: ServicePort, slices: readonly EndpointSlice[], build: () => ClusterIR): ClusterIR {
    if (!this.keeping) return build();
    const prev = this.#clusters.get(name) ?? this.#prev?.clusters.get(name);
    const memo = prev && prev.port === port && sameItems(prev.slices, slices) ? prev : undefined;
    const ir = memo?.ir ?? this.stable('cluster', name, build());
    this.#clusters.set(name, memo ?? { port, slices, ir });
    return ir;
  }

  /**
   * `value`, or the previous value under the same key when deep-equal to it (and, with `source`, computed from the
   * same source object).
   */
  stable<T>(what: string, key: string, value: T, source?: object): T {
    if (!this.keeping) return value;
    const id = `${what}\u0000${key}`;
    const prev = this.#prev?.values.get(id) as Stable<T> | undefined;
    const same = prev !== undefined && prev.source === source && isDeepStrictEqual(prev.value, value);
    const out = same ? prev : { value, source };
    this.#values.set(id, out);
    return out.value;
  }

  /**
   * `value`, or the value shared under the same key (in this translation or an earlier one) when deep-equal to it:
   * for the many identical parts of routes (backends, cluster references, parents), which would otherwise each be
   * a copy kept as long as the route. Keys are the caller's summary of the value; equality is always checked.
   */
  share<T>(
    what: string,
    key: string | ((value: T) => string),
    value: T,
    same: (a: T, b: T) => boolean = isDeepStrictEqual,
  ): T {
    if (!this.keeping) return value;
    const id = `${what}\u0000${typeof key === 'string' ? key : key(value)}`;
    const known = this.#sharedValues.get(id) as T | undefined;
    if (known !== undefined && (known === value || same(known, value))) return known;
    this.#sharedValues.set(id, value);
    return value;
  }

  /** What the previous translation kept under `key` (see `keep`). */
  previous<T>(what: string, key: string): T | undefined {
    return (this.#prev?.values.get(`${what}\u0000${key}`) as Stable<T> | undefined)?.value;
  }

  keep<T>(what: string, key: string, value: T): void {
    if (this.keeping) this.#values.set(`${what}\u0000${key}`, { value, source: undefined });
  }
}

/**
 * A summary of a route's parents for Memo.share, without the hostnames (compared by sameParents): routes with their
 * own hostnames then take turns under one key rather than each keeping a key of its own.
 */
function parentsKey({ parents }: { readonly parents: readonly ParentModel[] }): string {
  let key = '';
  for (const p of parents) {
    key += `${JSON.stringify(p.parentRef)}|${p.accepted.reason}|${p.accepted.message}`;
    for (const at of p.listeners) key += `|${at.listener.gatewayKey}/${at.listener.name}`;
    key += '\n';
  }
  return key;
}

/** Parents equal field by field, with the very same listener (and Gateway) objects. */
function sameParents(a: { readonly parents: readonly ParentModel[] }, b: { readonly parents: readonly ParentModel[] }) {
  if (a.parents.length !== b.parents.length) return false;
  for (let i = 0; i < a.parents.length; i++) {
    const p = a.parents[i] as ParentModel;
    const q = b.parents[i] as ParentModel;
    if (p.gatewayKey !== q.gatewayKey || p.listeners.length !== q.listeners.length) return false;
    if (!isDeepStrictEqual(p.parentRef, q.parentRef) || !isDeepStrictEqual(p.accepted, q.accepted)) return false;
    for (let j = 0; j < p.listeners.length; j++) {
      const x = p.listeners[j] as ParentModel['listeners'][number];
      const y = q.listeners[j] as ParentModel['listeners'][number];
      if (x.listener !== y.listener || !sameItems(x.hostnames, y.hostnames)) return false;
    }
  }
  return true;
}
