/**
 * The IR as it travels to one worker, with object identity kept across applies. The data plane compiles only what
 * changed, telling unchanged parts by IR object identity (src/dataplane/http/compile-cache.ts); a structured clone
 * makes every object new, so each apply would recompile every route in every worker. Instead each listener, virtual
 * host, route and cluster the worker already has (it was in the last IR sent to it) goes as a reference by id, and
 * the worker puts back the very object it decoded before. Only new or changed objects travel in full.
 *
 * Both ends keep exactly the objects of the last IR (rebuilt on each apply), so they agree as long as every encoded IR
 * is decoded, in order, by a worker that started with an empty dictionary: one IrEncoder per worker process.
 */
import type { ClusterIR, HttpListenerIR, HttpRouteIR, IR, VirtualHostIR } from '../../ir/types.ts';

type Ref = { readonly ref: number };
type Def<T> = { readonly id: number; readonly value: T };
type Wire<T> = Ref | Def<T>;

type WireVhost = Omit<VirtualHostIR, 'routes'> & { readonly routes: readonly Wire<HttpRouteIR>[] };
type WireListener = Omit<HttpListenerIR, 'virtualHosts'> & { readonly virtualHosts: readonly Wire<WireVhost>[] };
export interface WireIR {
  readonly listeners: readonly Wire<WireListener>[];
  readonly clusters: readonly Wire<ClusterIR>[];
}

/** Calls `f` with every object of the IR whose identity is kept: clusters, listeners, virtual hosts, routes. */
function eachObject(ir: IR, f: (o: object) => void): void {
  for (const c of ir.clusters) f(c);
  for (const l of ir.listeners) {
    f(l);
    for (const v of l.virtualHosts) {
      f(v);
      for (const r of v.routes) f(r);
    }
  }
}

/** The primary's side, one per worker process. */
export class IrEncoder {
  #ids = new Map<object, number>();
  #next = 0;

  encode(ir: IR): WireIR {
    const known = this.#ids;
    const ids = new Map<object, number>();
    const wire = <T extends object, W>(o: T, full: (o: T) => W): Wire<W> => {
      const ref = known.get(o);
      if (ref !== undefined) return { ref };
      const id = this.#next++;
      ids.set(o, id);
      return { id, value: full(o) };
    };
    const out: WireIR = {
      clusters: ir.clusters.map((c) => wire(c, (x) => x)),
      listeners: ir.listeners.map((l) =>
        wire(l, (x) => ({
          ...x,
          virtualHosts: x.virtualHosts.map((v) =>
            wire(v, (y) => ({ ...y, routes: y.routes.map((r) => wire(r, (z) => z)) })),
          ),
        })),
      ),
    };
    eachObject(ir, (o) => {
      if (!ids.has(o)) ids.set(o, known.get(o) as number);
    });
    this.#ids = ids;
    return out;
  }
}

export class IrDecodeError extends Error {
  readonly code = 'ARCHWAY_ERR_WORKER_IR_REF';
}

/** The worker's side. */
export class IrDecoder {
  #byId = new Map<number, object>();
  #idOf = new Map<object, number>();

  decode(wire: WireIR): IR {
    const defined = new Map<object, number>();
    const take = <W, T extends object>(w: Wire<W>, full: (w: W) => T): T => {
      if ('ref' in w) {
        const o = this.#byId.get(w.ref);
        if (o === undefined) throw new IrDecodeError(`unknown IR reference ${w.ref}`);
        return o as T;
      }
      const o = full(w.value);
      defined.set(o, w.id);
      return o;
    };
    const ir: IR = {
      clusters: wire.clusters.map((c) => take(c, (x) => x)),
      listeners: wire.listeners.map((l) =>
        take(l, (x) => ({
          ...x,
          virtualHosts: x.virtualHosts.map((v) =>
            take(v, (y) => ({ ...y, routes: y.routes.map((r) => take(r, (z) => z)) })),
          ),
        })),
      ),
    };
    const byId = new Map<number, object>();
    const idOf = new Map<object, number>();
    eachObject(ir, (o) => {
      const id = defined.get(o) ?? (this.#idOf.get(o) as number);
      byId.set(id, o);
      idOf.set(o, id);
    });
    this.#byId = byId;
    this.#idOf = idOf;
    return ir;
  }
}
