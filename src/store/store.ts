/**
 * The object store: every decoded object, its generation, and immutable snapshots for the translator.
 *
 * Owns: object identity (kind/namespace/name), metadata the API server would set in standalone mode
 * (generation: 1 on first sight, +1 when anything but metadata and status changes; creationTimestamp and uid on
 * first sight), and the Snapshot handed to translate. It does not know where objects come from (sources) nor what
 * they mean (translate). Time comes in through the injected clock.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ObjectMeta } from '../api/types.ts';
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

export class Store {
  readonly #objects = new Map<string, KubeObject>();
  readonly #now: () => Date;
  #snapshot: Snapshot | undefined = emptySnapshot;
  #version = 0;
  readonly #listeners = new Set<() => void>();

  constructor(opts: StoreOptions = {}) {
    this.#now = opts.now ?? (() => new Date());
    this.#snapshot = undefined;
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
    const out: KubeObject[] = [];
    for (const obj of this.#objects.values()) if (obj.kind === kind) out.push(obj);
    return out.sort(compareObjects);
  }

  /**
   * Inserts or replaces an object. Returns whether it changed anything (Contour's cache.Insert). Server-managed
   * metadata from the input (generation, uid) is ignored; a creationTimestamp given in the input is kept.
   */
  upsert(input: KubeObject): boolean {
    if (!isStoredKind(input.kind)) return false;
    const key = keyOf(input);
    const prev = this.#objects.get(key);
    const { status: _ignored, ...withoutStatus } = input;
    let generation = 1;
    let creationTimestamp = input.metadata.creationTimestamp ?? this.#now().toISOString();
    let uid: string = randomUUID();
    if (prev) {
      if (isDeepStrictEqual(stripServerMeta(prev), stripServerMeta(withoutStatus as KubeObject))) return false;
      const prevGen = prev.metadata.generation ?? 1;
      generation = isDeepStrictEqual(specOf(prev), specOf(input)) ? prevGen : prevGen + 1;
      creationTimestamp = input.metadata.creationTimestamp ?? prev.metadata.creationTimestamp ?? creationTimestamp;
      uid = prev.metadata.uid ?? uid;
    }
    const stored: KubeObject = {
      ...withoutStatus,
      apiVersion: input.apiVersion,
      kind: input.kind,
      metadata: { ...input.metadata, generation, creationTimestamp, uid, resourceVersion: String(this.#version + 1) },
    };
    this.#objects.set(key, stored);
    this.#changed();
    return true;
  }

  delete(key: string): boolean {
    if (!this.#objects.delete(key)) return false;
    this.#changed();
    return true;
  }

  has(key: string): boolean {
    return this.#objects.has(key);
  }

  /** The current objects as an immutable, sorted Snapshot (rebuilt lazily after a change). */
  snapshot(): Snapshot {
    if (this.#snapshot) return this.#snapshot;
    const lists: Record<string, KubeObject[]> = {};
    const other: Record<string, KubeObject[]> = {};
    for (const obj of this.#objects.values()) {
      const field = SNAPSHOT_FIELDS[obj.kind];
      const bucket = field ? lists : other;
      const name = field ?? obj.kind;
      let list = bucket[name];
      if (!list) {
        list = [];
        bucket[name] = list;
      }
      list.push(obj);
    }
    for (const list of [...Object.values(lists), ...Object.values(other)]) list.sort(compareObjects);
    const snap = { ...emptySnapshot, ...lists, other } as Snapshot;
    this.#snapshot = deepFreeze(snap);
    return this.#snapshot;
  }

  #changed(): void {
    this.#version++;
    this.#snapshot = undefined;
    for (const fn of this.#listeners) fn();
  }
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

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
