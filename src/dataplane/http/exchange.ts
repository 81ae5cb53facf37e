/**
 * One proxied request, independent of the HTTP engine that carries it: the parsed head, the route and backend chosen,
 * the outgoing header list, the route timeout and the single observer report. Each engine (node:http + undici in
 * node-exchange.ts, the raw sockets of h1/) extends it with how a response is written and how the upstream is reached;
 * handler.ts and proxy.ts drive it without knowing which engine it is.
 */

import type { ResponseErrorCode } from '../errors.ts';
import type { DataplaneObserver } from '../observer.ts';
import type { Endpoint } from '../upstream/pools.ts';
import type { HttpLimits } from './limits.ts';
import { parseQuery, type RequestView } from './match.ts';
import type { CompiledBackend, CompiledRoute, CompiledTable, MirrorPlan } from './table.ts';

/** What a request needs from its listener; `table` is swapped by reference on apply. */
export interface ListenerContext {
  table: CompiledTable;
  readonly scheme: 'http' | 'https';
  /** The bound port (the IR port, or the one the OS chose for port 0). */
  port: number;
  /** Set when the listener is being removed: responses then ask clients to close. */
  closing: boolean;
  readonly observer: DataplaneObserver | null;
  readonly limits: HttpLimits;
}

function onRouteTimeout(ex: Exchange): void {
  ex.routeTimerFired();
}

export abstract class Exchange implements RequestView {
  readonly ctx: ListenerContext;
  readonly table: CompiledTable;
  readonly method: string;
  /** The request target as received. */
  readonly url: string;
  readonly rawHeaders: readonly string[];
  readonly remoteAddress: string;
  readonly startedAt: number;
  /** Normalized path (what routes match and, unless rewritten, what is forwarded). */
  path = '/';
  /** "" or "?..." as received. */
  query = '';
  /** Normalized Host: lower-case, without port. */
  host = '';
  /** True when the forwarded target differs from the received one (normalized, absolute-form or rewritten). */
  targetChanged = false;
  /** Outgoing request headers, flat. */
  readonly headers: string[] = [];
  hasBody = false;
  route: CompiledRoute | null = null;
  backend: CompiledBackend | null = null;
  status = 0;
  #query: Map<string, string> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #reported = false;

  constructor(
    ctx: ListenerContext,
    method: string,
    url: string,
    rawHeaders: readonly string[],
    remoteAddress: string,
    startedAt: number,
  ) {
    this.ctx = ctx;
    this.table = ctx.table;
    this.method = method;
    this.url = url;
    this.rawHeaders = rawHeaders;
    this.remoteAddress = remoteAddress;
    this.startedAt = startedAt;
  }

  /** Answers with the status mapped from `code` (after a malformed request the connection closes). */
  abstract fail(code: ResponseErrorCode): void;

  /** Answers a RequestRedirect: `headers` holds Location and the filtered response headers. */
  abstract redirect(status: number, headers: string[]): void;

  /** Sends the request to `endpoint` with `target`; `mirrors` (sampled) get fire-and-forget copies. */
  abstract dispatch(endpoint: Endpoint, target: string, mirrors: readonly MirrorPlan[] | null): void;

  /** The route timeout fired: answer 504, or cut a response already started. */
  protected abstract timeout(): void;

  queryParam(name: string): string | undefined {
    this.#query ??= parseQuery(this.query);
    return this.#query.get(name);
  }

  /** The request target sent upstream. */
  target(): string {
    return this.targetChanged ? this.path + this.query : this.url;
  }

  /** Arms the route timeout (requestMs / backendRequestMs, the shorter) when the route has one. */
  armTimeout(route: CompiledRoute): void {
    const a = route.requestTimeoutMs;
    const b = route.backendTimeoutMs;
    const ms = a > 0 && b > 0 ? Math.min(a, b) : a + b;
    if (ms > 0) this.#timer = setTimeout(onRouteTimeout, ms, this);
  }

  routeTimerFired(): void {
    this.#timer = null;
    this.timeout();
  }

  protected clearTimer(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  /** Calls the observer once, with the status the client got (499 when it left first). */
  protected report(status: number): void {
    const observer = this.ctx.observer;
    if (observer === null || this.#reported) return;
    this.#reported = true;
    const seconds = (performance.now() - this.startedAt) / 1000;
    observer.requestDone(this.route?.name ?? '', this.backend?.clusterName ?? '', status, seconds);
  }
}
