/**
 * The data-plane contract: what the translator emits and the data plane compiles. Types only.
 *
 * Owns: the IR. It is plain, serializable data (no classes, no functions, no Kubernetes types), so a config dump is
 * `JSON.stringify(ir)` and golden files can pin it. The data plane never sees a Gateway API object.
 *
 * Shape: one ListenerIR per bound address:port. An HTTP(S) listener carries one VirtualHostIR per Gateway listener
 * that shares that address:port (listener isolation: a request is served only by the routes attached to the most
 * specific Gateway listener whose hostname matches it). Routes inside a virtual host are already ordered by the
 * spec's precedence for everything except hostname specificity, which depends on the request's Host and is applied
 * by the data plane (see VirtualHostIR.routes). Clusters (a Service port and its endpoints) are shared by name.
 */

export interface IR {
  readonly listeners: readonly ListenerIR[];
  /** Sorted by name; referenced from backends by name. */
  readonly clusters: readonly ClusterIR[];
}

export type ListenerIR = HttpListenerIR;

export interface HttpListenerIR {
  readonly kind: 'http';
  /** "address:port", unique. */
  readonly name: string;
  readonly address: string;
  readonly port: number;
  /** 'https' listeners terminate TLS; every virtual host then carries `tls`. */
  readonly protocol: 'http' | 'https';
  /**
   * Gateway listeners sharing this address:port, ordered most specific hostname first: exact hostnames, then
   * wildcards by decreasing length, then the catch-all (hostname null). A request picks the first that matches.
   */
  readonly virtualHosts: readonly VirtualHostIR[];
}

export interface VirtualHostIR {
  /** "gateway/<ns>/<name>/listener/<listenerName>". */
  readonly name: string;
  /** The Gateway listener's hostname ("example.com" or "*.example.com"), or null for any host. */
  readonly hostname: string | null;
  /** For HTTPS listeners: the certificate chain and key served for this virtual host's SNI names. */
  readonly tls?: TlsCertificateIR;
  /**
   * Every route rule match attached to this listener, ordered by precedence: path (Exact, then PathPrefix by
   * decreasing length, then RegularExpression), method, number of header matches, number of query param matches,
   * route creation time, route namespace/name, rule index, match index. Hostname specificity comes first and depends
   * on the request: the data plane consults, for a Host, the routes whose best matching `hostnames` entry is most
   * specific (exact > longer wildcard > shorter wildcard > routes without hostnames), each group in this order.
   */
  readonly routes: readonly HttpRouteIR[];
}

export interface TlsCertificateIR {
  /** PEM certificate chain. */
  readonly certPem: string;
  /** PEM private key. */
  readonly keyPem: string;
}

export interface HttpRouteIR {
  /** "httproute/<ns>/<name>/rule/<i>/match/<j>": also the metrics label. */
  readonly name: string;
  /**
   * Hostnames this route serves on this listener, already intersected with the listener hostname; exact names or
   * "*.suffix" wildcards. Empty means every host the virtual host accepts.
   */
  readonly hostnames: readonly string[];
  readonly match: HttpMatchIR;
  /** Rule-level filters, applied in order. */
  readonly filters: readonly HttpFilterIR[];
  /** Weighted backends. Empty (and no redirect filter) means: respond 500 (the rule has no valid backend). */
  readonly backends: readonly WeightedBackendIR[];
  readonly timeouts?: { readonly requestMs?: number; readonly backendRequestMs?: number };
  readonly retry?: { readonly attempts: number; readonly codes: readonly number[]; readonly backoffMs: number };
}

export interface HttpMatchIR {
  readonly path: PathMatchIR;
  /** Upper-case method, or null for any. */
  readonly method: string | null;
  readonly headers: readonly ValueMatchIR[];
  readonly queryParams: readonly ValueMatchIR[];
}

export interface PathMatchIR {
  readonly type: 'Exact' | 'PathPrefix' | 'RegularExpression';
  /** For PathPrefix, without a trailing slash unless it is "/" itself; matches on path-segment boundaries. */
  readonly value: string;
}

export interface ValueMatchIR {
  readonly type: 'Exact' | 'RegularExpression';
  /** Header names are lower-case (matched case-insensitively); query param names are matched exactly. */
  readonly name: string;
  readonly value: string;
}

export type HttpFilterIR =
  | HeaderFilterIR
  | { readonly kind: 'requestRedirect'; readonly redirect: RedirectIR }
  | { readonly kind: 'urlRewrite'; readonly hostname?: string; readonly path?: PathRewriteIR }
  | { readonly kind: 'requestMirror'; readonly cluster: string; readonly percent: number };

export interface HeaderFilterIR {
  readonly kind: 'requestHeaders' | 'responseHeaders';
  /** Header names lower-case. */
  readonly set: readonly { readonly name: string; readonly value: string }[];
  readonly add: readonly { readonly name: string; readonly value: string }[];
  readonly remove: readonly string[];
}

export interface RedirectIR {
  readonly scheme?: string;
  readonly hostname?: string;
  readonly path?: PathRewriteIR;
  readonly port?: number;
  readonly statusCode: number;
}

export type PathRewriteIR =
  | { readonly type: 'full'; readonly value: string }
  /** Replace the matched prefix (`prefix`, the rule's PathPrefix match value) with `value`. */
  | { readonly type: 'prefix'; readonly prefix: string; readonly value: string };

export interface WeightedBackendIR {
  readonly weight: number;
  /** Cluster name, or null when the backendRef is invalid: requests it would receive get a 500. */
  readonly cluster: string | null;
  /** Backend-level filters (HTTPBackendRef.filters), applied after the rule's. */
  readonly filters: readonly HttpFilterIR[];
}

export interface ClusterIR {
  /** "<ns>/<service>:<port>". */
  readonly name: string;
  /** 'http1' unless the Service port's appProtocol asks for h2c (kubernetes.io/h2c) or WebSocket. */
  readonly protocol: 'http1' | 'h2c' | 'ws';
  readonly endpoints: readonly EndpointIR[];
}

export interface EndpointIR {
  readonly address: string;
  readonly port: number;
}
