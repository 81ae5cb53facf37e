/**
 * One hostname group's routes (in precedence order) and the index that finds the first one matching a request
 * without scanning them all: a radix tree over Exact and PathPrefix values, walked once along the request path,
 * yields the few routes whose path can match; routes with PathPrefix "/" and regex paths are kept in lists. Among
 * those, the route earliest in precedence order whose method, headers and query params match wins — exactly what a
 * linear scan (conditions.ts `firstMatch`) returns. Small groups are scanned linearly: cheaper than any index.
 */

import { conditionsMatch, firstMatch, type RequestView } from './conditions.ts';
import { type CompiledRoute, PATH_ANY, PATH_EXACT, PATH_PREFIX } from './table.ts';

/** Groups with at most this many routes are scanned linearly. */
export const INDEX_THRESHOLD = 8;

/** No route found yet: above every position. */
const NONE = 0x7fffffff;
const EMPTY: readonly number[] = [];
const SLASH = 47;

/** A radix tree node: `label` is the text from its parent; lists hold route positions in ascending order. */
class PathNode {
  label: string;
  /** First character code of each child's label, parallel to `kids` (a few entries: scanned, not hashed). */
  readonly codes: number[] = [];
  readonly kids: PathNode[] = [];
  /** Routes whose PathPrefix value ends here. */
  prefix: number[] | null = null;
  /** Routes whose Exact path ends here. */
  exact: number[] | null = null;

  constructor(label: string) {
    this.label = label;
  }

  addExact(pos: number): void {
    if (this.exact === null) this.exact = [pos];
    else this.exact.push(pos);
  }

  addPrefix(pos: number): void {
    if (this.prefix === null) this.prefix = [pos];
    else this.prefix.push(pos);
  }

  /** The child whose label starts with character code `c`. */
  child(c: number): PathNode | undefined {
    // hot path
    const codes = this.codes;
    for (let k = 0; k < codes.length; k++) if (codes[k] === c) return this.kids[k];
    return undefined;
  }

  /** Adds `child`, or replaces the child starting with the same character. */
  add(child: PathNode): void {
    const c = child.label.charCodeAt(0);
    const k = this.codes.indexOf(c);
    if (k >= 0) this.kids[k] = child;
    else {
      this.codes.push(c);
      this.kids.push(child);
    }
  }
}

/** Whether `path` continues at `i` with `label`, whose first character is known to match. */
function follows(path: string, i: number, label: string): boolean {
  // hot path
  if (path.length - i < label.length) return false;
  for (let j = 1; j < label.length; j++) if (path.charCodeAt(i + j) !== label.charCodeAt(j)) return false;
  return true;
}

/** The node for `key`, created (splitting edges) when missing. */
function nodeFor(root: PathNode, key: string): PathNode {
  let node = root;
  let i = 0;
  for (;;) {
    if (i === key.length) return node;
    const child = node.child(key.charCodeAt(i));
    if (child === undefined) {
      const leaf = new PathNode(key.slice(i));
      node.add(leaf);
      return leaf;
    }
    const label = child.label;
    let j = 1;
    while (j < label.length && i + j < key.length && label.charCodeAt(j) === key.charCodeAt(i + j)) j++;
    if (j < label.length) {
      const mid = new PathNode(label.slice(0, j));
      child.label = label.slice(j);
      mid.add(child);
      node.add(mid);
      node = mid;
    } else {
      node = child;
    }
    i += j;
  }
}

/** Prefix lists met on the walk, reused by every lookup (matching is synchronous). */
const found: (readonly number[])[] = [];

/** The first position in `list` below `best` whose route's conditions match (the path is known to match), or best. */
function firstBelow(list: readonly number[], routes: readonly CompiledRoute[], req: RequestView, best: number): number {
  // hot path
  for (let k = 0; k < list.length; k++) {
    const pos = list[k]!;
    if (pos >= best) return best;
    if (conditionsMatch(routes[pos]!, req)) return pos;
  }
  return best;
}

export class RouteGroup {
  /** In precedence order. */
  readonly routes: readonly CompiledRoute[];
  /** null: scanned linearly. */
  readonly #root: PathNode | null = null;
  /** PathPrefix "/" routes. */
  readonly #any: readonly number[] = EMPTY;
  readonly #regex: readonly number[] = EMPTY;

  constructor(routes: readonly CompiledRoute[]) {
    this.routes = routes;
    if (routes.length <= INDEX_THRESHOLD) return;
    const root = new PathNode('');
    const any: number[] = [];
    const regex: number[] = [];
    for (let pos = 0; pos < routes.length; pos++) {
      const r = routes[pos]!;
      if (r.pathKind === PATH_ANY) any.push(pos);
      else if (r.pathKind === PATH_EXACT) nodeFor(root, r.pathValue).addExact(pos);
      else if (r.pathKind === PATH_PREFIX) nodeFor(root, r.pathValue).addPrefix(pos);
      else regex.push(pos);
    }
    this.#root = root;
    this.#any = any;
    this.#regex = regex;
  }

  /** The first route in precedence order that matches `req`, or null. */
  match(req: RequestView): CompiledRoute | null {
    // hot path
    const root = this.#root;
    if (root === null) return firstMatch(this.routes, req);
    const routes = this.routes;
    const path = req.path;
    let n = 0;
    let exact = EMPTY;
    let node = root;
    let i = 0;
    for (;;) {
      if (node.prefix !== null && (i === path.length || path.charCodeAt(i) === SLASH)) found[n++] = node.prefix;
      if (i === path.length) {
        if (node.exact !== null) exact = node.exact;
        break;
      }
      const child = node.child(path.charCodeAt(i));
      if (child === undefined || !follows(path, i, child.label)) break;
      i += child.label.length;
      node = child;
    }
    let best = firstBelow(exact, routes, req, NONE);
    while (n > 0) {
      n--;
      best = firstBelow(found[n]!, routes, req, best); // longest prefix first: it usually wins
      found[n] = EMPTY;
    }
    best = firstBelow(this.#any, routes, req, best);
    const regex = this.#regex;
    for (let k = 0; k < regex.length; k++) {
      const pos = regex[k]!;
      if (pos >= best) break;
      const r = routes[pos]!;
      if (r.pathRegex!.test(path) && conditionsMatch(r, req)) {
        best = pos;
        break;
      }
    }
    return best === NONE ? null : routes[best]!;
  }
}
