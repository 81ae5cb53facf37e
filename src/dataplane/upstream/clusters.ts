/**
 * Cluster runtimes: for each IR cluster, its endpoints' pools and a round-robin cursor. Rebuilt on every apply (the
 * pools themselves are shared and kept); a compiled route table points at the runtimes of its own apply.
 */

import type { Pool } from 'undici';
import type { ClusterIR } from '../../ir/types.ts';
import { type EndpointPools, endpointKey } from './pools.ts';

export class ClusterRuntime {
  readonly name: string;
  readonly protocol: ClusterIR['protocol'];
  readonly #pools: readonly Pool[];
  #next = 0;

  constructor(name: string, protocol: ClusterIR['protocol'], pools: readonly Pool[]) {
    this.name = name;
    this.protocol = protocol;
    this.#pools = pools;
  }

  /** Round-robin over the endpoints; undefined when the cluster has none (the caller answers 503). */
  pick(): Pool | undefined {
    // hot path
    const n = this.#pools.length;
    if (n === 0) return undefined;
    const i = this.#next;
    this.#next = i + 1 === n ? 0 : i + 1;
    return this.#pools[i];
  }

  get size(): number {
    return this.#pools.length;
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
    const list: Pool[] = [];
    for (const e of c.endpoints) {
      endpoints.add(endpointKey(e.address, e.port));
      list.push(pools.get(e.address, e.port));
    }
    clusters.set(c.name, new ClusterRuntime(c.name, c.protocol, list));
  }
  return { clusters, endpoints };
}
