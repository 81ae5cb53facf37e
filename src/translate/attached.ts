/**
 * Routes per listener: which routes each listener serves (with the hostnames they serve there) and how many
 * (status attachedRoutes), built from every route or updated from what changed since the previous translation.
 *
 * Owns: the listener a route is counted on (listeners of one Gateway sharing a name count as one, the first), each
 * route once per listener (the hostnames of its first parentRef there), and the choice between updating and
 * rebuilding: updates need the same Gateway models as last time (hence the same listeners) and a small change.
 */
import type { RoutesStep } from './memo.ts';
import type { AttachedRoute, Attachment, GatewayModel, ListenerModel, ParentModel, RouteModel } from './model.ts';

/** Routes in route order, with the hostnames each serves on the listener. */
export interface AttachedList {
  readonly routes: RouteModel[];
  readonly hostnames: (readonly string[])[];
}

export interface ListenerChanges {
  readonly removed: AttachedList;
  readonly added: AttachedList;
}

/** Above this many changed routes, virtual hosts are rebuilt rather than updated. */
const MAX_UPDATE = 256;

/** Maps each listener to the one it counts as: the first of its Gateway's listeners with its name. */
export function canonicalListeners(gateways: readonly GatewayModel[]): (l: ListenerModel) => ListenerModel {
  const canonical = new Map<ListenerModel, ListenerModel>();
  for (const gw of gateways) {
    const byName = new Map<string, ListenerModel>();
    for (const l of gw.listeners) {
      const first = byName.get(l.name) ?? l;
      byName.set(l.name, first);
      if (first !== l) canonical.set(l, first);
    }
  }
  return (l) => canonical.get(l) ?? l;
}

/** The listeners a route is Accepted on, each once (its first parentRef there gives the hostnames). */
export function attachmentsOf(
  parents: readonly ParentModel[],
  canonical: (l: ListenerModel) => ListenerModel,
): readonly Attachment[] {
  const only = parents.length === 1 ? (parents[0] as ParentModel) : undefined;
  // One parent whose listeners count as themselves: its listener list is the attachments (no copy to keep).
  if (only && only.accepted.status === 'True' && only.listeners.every((at) => canonical(at.listener) === at.listener)) {
    return only.listeners;
  }
  const out: Attachment[] = [];
  for (const parent of parents) {
    if (parent.accepted.status !== 'True') continue;
    for (const at of parent.listeners) {
      const listener = canonical(at.listener);
      if (out.some((a) => a.listener === listener)) continue;
      out.push(listener === at.listener ? at : { listener, hostnames: at.hostnames });
    }
  }
  return out;
}

const EMPTY: AttachedList = Object.freeze({ routes: [], hostnames: [] });

/** Routes per listener, updated or rebuilt, and the count of each listener. */
export class ListenerRoutes {
  readonly #routes: readonly AttachedRoute[];
  /** Per listener: what changed, when updating; null when rebuilding. */
  readonly #changes: Map<ListenerModel, ListenerChanges> | null;
  readonly #counts: Map<ListenerModel, number>;
  #lists: Map<ListenerModel, AttachedList> | null = null;

  /** `previousCounts`: the counts of the previous translation, when its Gateway models are the same objects. */
  constructor(step: RoutesStep, previousCounts: ReadonlyMap<ListenerModel, number> | undefined) {
    this.#routes = step.routes;
    const update = previousCounts !== undefined && step.removed.length + step.added.length <= MAX_UPDATE;
    if (update) {
      this.#changes = changesOf(step);
      this.#counts = new Map(previousCounts);
      for (const [l, c] of this.#changes) {
        const n = (this.#counts.get(l) ?? 0) + c.added.routes.length - c.removed.routes.length;
        if (n === 0) this.#counts.delete(l);
        else this.#counts.set(l, n);
      }
    } else {
      this.#changes = null;
      this.#counts = new Map();
      for (const [l, list] of this.#all()) this.#counts.set(l, list.routes.length);
    }
  }

  /** Whether virtual hosts may be updated with changes() rather than rebuilt from list(). */
  get updating(): boolean {
    return this.#changes !== null;
  }

  /** What changed on a listener (updating only): nothing when undefined. */
  changes(listener: ListenerModel): ListenerChanges | undefined {
    return this.#changes?.get(listener);
  }

  /** Every route attached to a listener. */
  list(listener: ListenerModel): AttachedList {
    return this.#all().get(listener) ?? EMPTY;
  }

  count(listener: ListenerModel): number {
    return this.#counts.get(listener) ?? 0;
  }

  get counts(): ReadonlyMap<ListenerModel, number> {
    return this.#counts;
  }

  #all(): Map<ListenerModel, AttachedList> {
    this.#lists ??= listsOf(this.#routes);
    return this.#lists;
  }
}

function listsOf(routes: readonly AttachedRoute[]): Map<ListenerModel, AttachedList> {
  const out = new Map<ListenerModel, AttachedList>();
  // Most routes attach where the route before them did: remember that list.
  let lastListener: ListenerModel | undefined;
  let last: AttachedList | undefined;
  for (const { model, attachments } of routes) {
    for (const { listener, hostnames } of attachments) {
      let list = listener === lastListener ? last : out.get(listener);
      if (!list) {
        list = { routes: [], hostnames: [] };
        out.set(listener, list);
      }
      lastListener = listener;
      last = list;
      list.routes.push(model);
      list.hostnames.push(hostnames);
    }
  }
  return out;
}

function changesOf(step: RoutesStep): Map<ListenerModel, ListenerChanges> {
  const out = new Map<ListenerModel, ListenerChanges>();
  const add = (route: AttachedRoute, side: 'removed' | 'added') => {
    for (const { listener, hostnames } of route.attachments) {
      let c = out.get(listener);
      if (!c) {
        c = { removed: { routes: [], hostnames: [] }, added: { routes: [], hostnames: [] } };
        out.set(listener, c);
      }
      c[side].routes.push(route.model);
      c[side].hostnames.push(hostnames);
    }
  };
  for (const r of step.removed) add(r, 'removed');
  for (const r of step.added) add(r, 'added');
  return out;
}
