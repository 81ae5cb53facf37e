/**
 * Cluster runtimes: for each IR cluster, its endpoints and a round-robin cursor. Rebuilt on every apply (the
 * endpoints and their pools are shared and kept); a compiled route table points at the runtimes of its own apply.
 */

import type { ClusterIR } from '../../ir/types.ts';
import type { Endpoint, EndpointPools } from './pools.ts';

export class ClusterRuntime {
  readonly name: string;
  readonly protocol: ClusterIR['protocol'];
  #endpoints: readonly Endpoint[];
  #next = 0;

  constructor(name: string, protocol: ClusterIR['protocol'], endpoints: readonly Endpoint[]) {
    this.name = name;
    this.protocol = protocol;
    this.#endpoints = endpoints;
  }

  /** Round-robin over the endpoints; undefined when the cluster has none (the caller answers 503). */
  pick(): Endpoint | undefined {
    // hot path
    const n = this.#endpoints.length;
    if (n === 0) return undefined;
    const i = this.#next;
    this.#next = i + 1 === n ? 0 : i + 1;
    return this.#endpoints[i];
  }

  get size(): number {
    return this.#endpoints.length;
  }

  /**
   * Replaces the endpoints in place (an EndpointSlice change): routes compiled against this runtime, in any table,
   * send new requests to the new endpoints at once; requests that already picked one finish there.
   */
  setEndpoints(endpoints: readonly Endpoint[]): void {
    this.#endpoints = endpoints;
    if (this.#next >= endpoints.length) this.#next = 0;
  }
}

export interface ClusterSet {
  readonly clusters: ReadonlyMap<string, ClusterRuntime>;
  /** Endpoint keys in use, so unused pools can be pruned. */
  readonly endpoints: ReadonlySet<string>;
}

/** Builds the runtimes for one apply. h2c / ws clusters are served over HTTP/1.1 for now. */
export function buildClusters(ir: readonly ClusterIR[], pools: EndpointPools): ClusterSet {
  const clusters = new Map<string, ClusterRuntime>();
  const endpoints = new Set<string>();
  for (const c of ir) {
    const list: Endpoint[] = [];
    for (const e of c.endpoints) {
      const endpoint = pools.get(e.address, e.port);
      endpoints.add(endpoint.key);
      list.push(endpoint);
    }
    clusters.set(c.name, new ClusterRuntime(c.name, c.protocol, list));
  }
  return { clusters, endpoints };
}
