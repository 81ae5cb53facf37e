/**
 * The compiled form of one HTTP listener: what the request path reads, built once per apply by compile.ts and
 * swapped in by one reference assignment. Plain records of precomputed values; no IR objects are consulted per request.
 */

import type { ClusterRuntime } from '../upstream/clusters.ts';
import type { HostIndex } from './hosts.ts';

export const PATH_EXACT = 0;
export const PATH_PREFIX = 1;
export const PATH_REGEX = 2;
/** PathPrefix "/": matches every path. */
export const PATH_ANY = 3;
export type PathKind = typeof PATH_EXACT | typeof PATH_PREFIX | typeof PATH_REGEX | typeof PATH_ANY;

/** A header or query param match: exact value or a full-match linear-time regex. */
export interface ValueMatcher {
  readonly name: string;
  readonly exact: string | null;
  readonly regex: RegExp | null;
}

export interface HeaderPair {
  readonly name: string;
  readonly value: string;
}

/** One HTTPHeaderFilter: names lower-case. */
export interface HeaderEdits {
  readonly set: readonly HeaderPair[];
  readonly add: readonly HeaderPair[];
  readonly remove: readonly string[];
}

/** ReplaceFullPath (prefix null) or ReplacePrefixMatch of `prefix` (no trailing slash; "" for "/"). */
export interface PathRewrite {
  readonly prefix: string | null;
  readonly value: string;
}

export interface RedirectPlan {
  readonly scheme: string | null;
  readonly hostname: string | null;
  readonly port: number | null;
  readonly path: PathRewrite | null;
  readonly statusCode: number;
}

export interface MirrorPlan {
  readonly cluster: ClusterRuntime;
  readonly percent: number;
}

/** Every filter of a rule and of one of its backends, folded in order into what the request path applies. */
export interface FilterPlan {
  readonly requestHeaders: readonly HeaderEdits[];
  readonly responseHeaders: readonly HeaderEdits[];
  readonly redirect: RedirectPlan | null;
  readonly rewriteHost: string | null;
  readonly rewritePath: PathRewrite | null;
  readonly mirrors: readonly MirrorPlan[];
}

/** GEP-1731 retry policy of a rule: `retries` further attempts after the first, on `codes` and connection errors. */
export interface RetryPolicy {
  readonly retries: number;
  readonly codes: readonly number[];
  readonly backoffMs: number;
}

export interface CompiledBackend {
  /** Metrics label: the cluster name, or '' when the backendRef is invalid. */
  readonly clusterName: string;
  /** null: invalid backendRef or unknown cluster -> 500 (unless the plan redirects). */
  readonly cluster: ClusterRuntime | null;
  readonly plan: FilterPlan;
}

export interface CompiledRoute {
  readonly name: string;
  readonly hostnames: readonly string[];
  readonly pathKind: PathKind;
  readonly pathValue: string;
  readonly pathRegex: RegExp | null;
  readonly method: string | null;
  readonly headers: readonly ValueMatcher[];
  readonly query: readonly ValueMatcher[];
  readonly backends: readonly CompiledBackend[];
  /** Running sums of the backend weights; the last is the total (0: every weight is zero -> 500). */
  readonly cumulativeWeights: readonly number[];
  readonly totalWeight: number;
  /** 0 when unset. */
  readonly requestTimeoutMs: number;
  readonly backendTimeoutMs: number;
  /** null: no retry (also when attempts is 0). */
  readonly retry: RetryPolicy | null;
}

export interface CompiledVhost {
  readonly name: string;
  readonly routes: HostIndex;
}

export interface WildcardVhost {
  /** ".example.com" for "*.example.com". */
  readonly suffix: string;
  readonly vhost: CompiledVhost;
}

export interface CompiledTable {
  readonly name: string;
  readonly exactHosts: ReadonlyMap<string, CompiledVhost>;
  /** Longest suffix first. */
  readonly wildcardHosts: readonly WildcardVhost[];
  readonly catchAll: CompiledVhost | null;
  /** Route matches dropped at compile time (e.g. a regex the linear engine rejects), with the reason. */
  readonly warnings: readonly string[];
}
