/**
 * Sharing equal subtrees of stored data (hash-consing): thousands of routes name the same parent, the same backend
 * and the same `{type: PathPrefix, value: /}` match, and each equal subtree is kept once.
 *
 * Owns: Sharer, which freezes a tree of plain data (what decoding yields: plain objects, arrays, strings, numbers,
 * booleans, null) bottom-up and replaces each subtree by the equal one it saw before. Equality is structural: the same
 * prototype, the same keys in the same order, the same primitives (Object.is) and, for children, the same shared
 * object. A subtree is known by a short signature made of its own keys and primitives and its children's ids, so the
 * cost is one pass over the tree. The table is bounded (two generations of `limit` entries each: a full generation
 * becomes the old one, and an entry found in the old generation moves to the new one), so what is shared often stays
 * and memory stays small; a subtree that is not found is simply kept as it is. An unfrozen node is updated in place
 * (its children replaced by the shared ones, then frozen); a frozen one is copied when a child is replaced.
 * One Sharer per owner (a Store): nothing is shared between owners.
 */

/** Depth below which nodes are frozen but not shared (decoded objects are far shallower). */
const MAX_DEPTH = 64;
/** Signatures longer than this are not tabled (a subtree with long strings is rarely repeated). */
const MAX_SIGNATURE = 512;

interface Entry {
  readonly id: number;
  readonly value: object;
}

/** No id: the subtree is not in the table (so no parent of it is). */
const NO_ID = -1;

export class Sharer {
  readonly #limit: number;
  #current = new Map<string, Entry>();
  #previous = new Map<string, Entry>();
  #nextId = 0;
  /** The id of the node the last #visit returned (NO_ID when not tabled). */
  #id = NO_ID;

  constructor(limit = 512) {
    this.#limit = Math.max(1, limit);
  }

  /** `value`, deeply frozen, with each subtree replaced by the equal one already shared (tabled for later). */
  share<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    return this.#visit(value, 0) as T;
  }

  /**
   * Freezes `node` (an object that is not itself worth sharing, e.g. one that holds a uid), sharing each of its
   * children except `except`, which must already be frozen. Updates `node` in place: it must not be frozen.
   */
  within<T extends object>(node: T, except?: string): T {
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (key !== except && v !== null && typeof v === 'object') record[key] = this.#visit(v, 1);
    }
    return Object.freeze(node);
  }

  #visit(node: object, depth: number): object {
    const proto: unknown = Object.getPrototypeOf(node);
    const isArray = Array.isArray(node);
    if (depth > MAX_DEPTH || (isArray ? proto !== Array.prototype : proto !== Object.prototype && proto !== null)) {
      deepFreeze(node);
      this.#id = NO_ID;
      return node;
    }
    const frozen = Object.isFrozen(node);
    let target = node as Record<string, unknown>;
    let shareable = true;
    let sig = isArray ? 'a' : proto === null ? 'N' : 'o';
    const keys = isArray ? undefined : Object.keys(node);
    const n = keys ? keys.length : (node as unknown[]).length;
    for (let i = 0; i < n; i++) {
      const key = keys ? (keys[i] as string) : i;
      if (keys) sig += `${(key as string).length}:${key}`;
      else if (!(i in node)) shareable = false; // a hole
      const v = (node as Record<string | number, unknown>)[key];
      switch (typeof v) {
        case 'string':
          sig += `s${v.length}:${v}`;
          break;
        case 'number':
          sig += Object.is(v, -0) ? 'n-0;' : `n${v};`;
          break;
        case 'boolean':
          sig += v ? 't' : 'f';
          break;
        case 'undefined':
          sig += 'u';
          break;
        case 'object': {
          if (v === null) {
            sig += 'z';
            break;
          }
          const shared = this.#visit(v, depth + 1);
          if (this.#id === NO_ID) shareable = false;
          else sig += `#${this.#id};`;
          if (shared !== v) {
            if (frozen && target === node) target = copy(node, isArray, proto);
            target[key] = shared;
          }
          break;
        }
        default:
          shareable = false; // bigint, symbol, function: not data a Sharer knows
      }
    }
    Object.freeze(target);
    if (!shareable || sig.length > MAX_SIGNATURE) {
      this.#id = NO_ID;
      return target;
    }
    return this.#lookup(sig, target);
  }

  /** The shared node with signature `sig`, or `node` (now shared) when there is none. Sets #id. */
  #lookup(sig: string, node: object): object {
    let entry = this.#current.get(sig);
    if (!entry) {
      entry = this.#previous.get(sig) ?? { id: this.#nextId++, value: node };
      if (this.#current.size >= this.#limit) {
        this.#previous = this.#current;
        this.#current = new Map();
      }
      this.#current.set(sig, entry);
    }
    this.#id = entry.id;
    return entry.value;
  }
}

function copy(node: object, isArray: boolean, proto: unknown): Record<string | number, unknown> {
  if (isArray) return (node as unknown[]).slice() as unknown as Record<number, unknown>;
  return Object.assign(proto === null ? Object.create(null) : {}, node);
}

function deepFreeze(value: unknown): void {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
}
