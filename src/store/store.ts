/**
 * The object store: every decoded object, its generation, and immutable snapshots for the translator.
 *
 * Owns: object identity (kind/namespace/name), metadata the API server would set in standalone mode
 * (generation: 1 on first sight, +1 when anything but metadata and status changes; creationTimestamp and uid on
 * first sight), and the Snapshot handed to translate. It does not know where objects come from (sources) nor what
 * they mean (translate). Time comes in through the injected clock.
 *
 * The cost of a change is proportional to the change, not to the number of objects: each kind keeps its objects in
 * a sorted array that a change updates in place (binary search), an object is frozen once when it is stored, and a
 * snapshot copies only the lists of the kinds that changed since the previous one (the others are the same arrays,
 * so consumers can skip them by identity).
 *
 * Stored objects live as long as they are configured, so they are kept small: equal subtrees are shared between
 * objects (src/store/share.ts: every route of a Gateway names it with one parentRefs list), metadata has one shape
 * per common case (no out-of-object properties), and objects stored in the same millisecond share one timestamp.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ObjectMeta } from '../api/types.ts';
import { intern } from '../lib/intern.ts';
import { Sharer } from './share.ts';
import { emptySnapshot, type Snapshot } from './snapshot.ts';

/** Kinds the translator reads, by snapshot field. Anything else Gateway API-shaped goes to `other`. */
const SNAPSHOT_FIELDS: Readonly<Record<string, keyof Omit<Snapshot, 'other'>>> = {
  GatewayClass: 'gatewayClasses',
  Gateway: 'gateways',
  HTTPRoute: 'httpRoutes',
  ReferenceGrant: 'referenceGrants',
  Namespace: 'namespaces',
  Service: 'services',
  EndpointSlice: 'endpointSlices',
  Secret: 'secrets',
  ConfigMap: 'configMaps',
};

const OTHER_KINDS = new Set([
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
  'BackendTLSPolicy',
  'ListenerSet',
  'XListenerSet',
]);

/** Whether the store keeps objects of this kind (everything else, e.g. Deployment, is ignored). */
export function isStoredKind(kind: string): boolean {
  return kind in SNAPSHOT_FIELDS || OTHER_KINDS.has(kind);
}

export function keyOf(obj: { kind: string; metadata: ObjectMeta }): string {
  const ns = obj.metadata.namespace;
  return ns ? `${obj.kind}/${ns}/${obj.metadata.name}` : `${obj.kind}/${obj.metadata.name}`;
}

function specOf(obj: KubeObject): unknown {
  const { metadata: _m, status: _s, apiVersion: _a, ...rest } = obj;
  return rest;
}

export interface StoreOptions {
  readonly now?: () => Date;
}

/** The objects of one kind, sorted by namespace/name, and the copy the current snapshot holds (never mutated). */
interface Bucket {
  readonly items: KubeObject[];
  /** undefined after a change: the next snapshot copies `items`. */
  published: readonly KubeObject[] | undefined;
}

const NONE: readonly KubeObject[] = Object.freeze([]);

export class Store {
  readonly #objects = new Map<string, KubeObject>();
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => Date;
  readonly #sharer = new Sharer();
  /** The last timestamp made, and the millisecond it is for (objects stored together share it). */
  #stampMs = Number.NaN;
  #stamp = '';
  #snapshot: Snapshot | undefined;
  #version = 0;
  readonly #listeners = new Set<() => void>();

  constructor(opts: StoreOptions = {}) {
    this.#now = opts.now ?? (() => new Date());
  }

  /** Incremented on every change; lets callers tell whether anything happened. */
  get version(): number {
    return this.#version;
  }

  /** Called (synchronously) after every change; debouncing is the caller's business. */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  get(key: string): KubeObject | undefined {
    return this.#objects.get(key);
  }

  /** All stored objects of a kind, sorted by namespace/name. */
  list(kind: string): KubeObject[] {
    return this.#buckets.get(kind)?.items.slice() ?? [];
  }

  /**
   * Inserts or replaces an object. Returns whether it changed anything (Contour's cache.Insert). Server-managed
   * metadata from the input (generation, uid) is ignored; a creationTimestamp given in the input is kept.
   */
  upsert(input: KubeObject): boolean {
    if (!isStoredKind(input.kind)) return false;
    const key = intern(keyOf(input)); // one copy shared with the other maps keyed by it (ledger, statuses)
    const prev = this.#objects.get(key);
    const { status: _ignored, ...withoutStatus } = input;
    let generation = 1;
    let creationTimestamp = input.metadata.creationTimestamp ?? this.#timestamp();
    let uid: string;
    if (prev) {
      if (sameInput(prev, input)) return false;
      const prevGen = prev.metadata.generation ?? 1;
      generation = isDeepStrictEqual(specOf(prev), specOf(input)) ? prevGen : prevGen + 1;
      creationTimestamp = input.metadata.creationTimestamp ?? prev.metadata.creationTimestamp ?? creationTimestamp;
      uid = prev.metadata.uid ?? newUid();
    } else uid = newUid();
    const metadata = this.#sharer.within(
      storedMeta(input.metadata, generation, creationTimestamp, uid, String(this.#version + 1)),
    );
    const stored: KubeObject = this.#sharer.within(
      { ...withoutStatus, apiVersion: input.apiVersion, kind: input.kind, metadata },
      'metadata',
    );
    this.#objects.set(key, stored);
    this.#place(stored, prev !== undefined);
    this.#changed();
    return true;
  }

  delete(key: string): boolean {
    const prev = this.#objects.get(key);
    if (!prev) return false;
    this.#objects.delete(key);
    const bucket = this.#buckets.get(prev.kind) as Bucket;
    bucket.items.splice(search(bucket.items, prev), 1);
    bucket.published = undefined;
    this.#changed();
    return true;
  }

  has(key: string): boolean {
    return this.#objects.has(key);
  }

  /** The current objects as an immutable, sorted Snapshot (rebuilt lazily after a change, kinds that changed only). */
  snapshot(): Snapshot {
    if (this.#snapshot) return this.#snapshot;
    const lists: Record<string, readonly KubeObject[]> = {};
    const other: Record<string, readonly KubeObject[]> = {};
    for (const [kind, bucket] of [...this.#buckets].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      // The list is not frozen (its objects are): V8 reads frozen arrays' elements several times slower, and every
      // change walks these lists (the translator's list diff: 0.5 ms more per change at 5,000 routes, measured).
      bucket.published ??= bucket.items.length === 0 ? NONE : bucket.items.slice();
      const field = SNAPSHOT_FIELDS[kind];
      if (field) lists[field] = bucket.published;
      else if (bucket.items.length > 0) other[kind] = bucket.published;
    }
    this.#snapshot = Object.freeze({ ...emptySnapshot, ...lists, other: Object.freeze(other) }) as Snapshot;
    return this.#snapshot;
  }

  /** Puts a stored object in its kind's sorted list: in the place of its previous version, or where it belongs. */
  #place(obj: KubeObject, replacing: boolean): void {
    let bucket = this.#buckets.get(obj.kind);
    if (!bucket) {
      bucket = { items: [], published: undefined };
      this.#buckets.set(obj.kind, bucket);
    }
    const { items } = bucket;
    const last = items[items.length - 1];
    if (!replacing && (!last || compareObjects(last, obj) < 0))
      items.push(obj); // loading in order: append
    else {
      const at = search(items, obj);
      if (replacing) items[at] = obj;
      else items.splice(~at, 0, obj);
    }
    bucket.published = undefined;
  }

  /** Now as an RFC 3339 string, the same string for every call in one millisecond. */
  #timestamp(): string {
    const now = this.#now();
    const ms = now.getTime();
    if (ms !== this.#stampMs) {
      this.#stampMs = ms;
      this.#stamp = intern(now.toISOString());
    }
    return this.#stamp;
  }

  #changed(): void {
    this.#version++;
    this.#snapshot = undefined;
    for (const fn of this.#listeners) fn();
  }
}

/** The index of the object with `obj`'s namespace/name in `items` (sorted), or ~(where it would go). */
function search(items: readonly KubeObject[], obj: KubeObject): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareObjects(items[mid] as KubeObject, obj);
    if (c < 0) lo = mid + 1;
    else if (c > 0) hi = mid - 1;
    else return mid;
  }
  return ~lo;
}

/**
 * The metadata of a stored object: the input's with the server-set fields. The common shapes (name and namespace, or
 * name alone) are built as one literal, so the object holds every field in place; others keep the input's key order.
 */
function storedMeta(
  meta: ObjectMeta,
  generation: number,
  creationTimestamp: string,
  uid: string,
  resourceVersion: string,
): ObjectMeta {
  const keys = Object.keys(meta);
  const { name, namespace } = meta;
  if (keys.length === 2 && keys[0] === 'name' && keys[1] === 'namespace' && namespace !== undefined) {
    return { name, namespace, generation, creationTimestamp, uid, resourceVersion };
  }
  if (keys.length === 1 && keys[0] === 'name') return { name, generation, creationTimestamp, uid, resourceVersion };
  return { ...meta, generation, creationTimestamp, uid, resourceVersion };
}

const HEX = '0123456789abcdef';

/**
 * A random (version 4) UUID as one flat string. A uid only has to be unique, not secret, so Math.random is enough
 * (and node:crypto stays unloaded).
 */
function newUid(): string {
  let out = '';
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) out += '-';
    else if (i === 14) out += '4';
    else if (i === 19) out += HEX.charAt(8 + ((Math.random() * 4) | 0));
    else out += HEX.charAt((Math.random() * 16) | 0);
  }
  return intern(out);
}

/**
 * Whether storing `input` over `stored` (an object of the same key) would change nothing: they differ at most in
 * status and in the metadata the store sets (generation, uid, resourceVersion, creationTimestamp).
 */
export function sameInput(stored: KubeObject, input: KubeObject): boolean {
  return isDeepStrictEqual(stripServerMeta(stored), stripServerMeta(input));
}

function stripServerMeta(obj: KubeObject): unknown {
  const { generation: _g, uid: _u, resourceVersion: _r, creationTimestamp: _c, ...meta } = obj.metadata;
  const { status: _s, ...rest } = obj;
  return { ...rest, metadata: meta };
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  const aName = a.metadata.name;
  const bName = b.metadata.name;
  return aName < bName ? -1 : aName > bName ? 1 : 0;
}
