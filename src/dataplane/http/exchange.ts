/**
 * One proxied request, independent of the HTTP engine that carries it: the parsed head, the route and backend chosen,
 * the outgoing header list, the route timeout, the retry schedule and the single observer report. Each engine
 * (node:http + undici in node-exchange.ts, the raw sockets of h1/) extends it with how a response is written and how
 * the upstream is reached; handler.ts and proxy.ts drive it without knowing which engine it is.
 *
 * Retries (GEP-1731, a route with a RetryPolicy): `attempts` counts retries, so up to 1 + attempts requests reach the
 * backend. An attempt is retried, while nothing has been sent to the client, when its response status is one of the
 * policy's codes, when the connection fails or is reset before a response, or when it outlives backendRequestMs
 * (each attempt gets the whole backendRequestMs; requestMs, when set, bounds all attempts and backoffs together and
 * answers 504 when it fires). The next attempt starts backoffMs after the failure, on the next endpoint of the same
 * backend's cluster (round-robin). A request with a body is retried only when its body has a Content-Length of at most
 * RETRY_BODY_BYTES (64 KiB), no mirror, and has been received whole: the engine then keeps a copy (`bodyKept`) to
 * send again; a larger or chunked body is streamed once and its attempt is final. When the last attempt fails to connect or is reset the client gets 503; when it times out, 504; when
 * it answers a retriable status, that response. A route without a policy pays one null check per response.
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

/** The largest request body (by Content-Length) kept so that the request can be retried. */
export const RETRY_BODY_BYTES = 64 * 1024;

function onRouteTimeout(ex: Exchange): void {
  ex.routeTimerFired();
}

function onAttemptTimeout(ex: Exchange): void {
  ex.attemptTimerFired();
}

function onBackoffDone(ex: Exchange): void {
  ex.backoffDone();
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
  /** The whole request body is kept and can be sent again (retries). */
  bodyKept = false;
  route: CompiledRoute | null = null;
  backend: CompiledBackend | null = null;
  status = 0;
  #query: Map<string, string> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #reported = false;
  /** Retries left (routes with a retry policy). */
  #retriesLeft = 0;
  #attemptTimer: NodeJS.Timeout | null = null;
  #backoffTimer: NodeJS.Timeout | null = null;

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

  /**
   * A retried route's attempt outlived backendRequestMs: cut the attempt, then scheduleRetry() or answer 504 (or, when
   * the response already started, behave as timeout()).
   */
  protected abstract attemptTimeout(): void;

  queryParam(name: string): string | undefined {
    this.#query ??= parseQuery(this.query);
    return this.#query.get(name);
  }

  /** The request target sent upstream. */
  target(): string {
    return this.targetChanged ? this.path + this.query : this.url;
  }

  /**
   * Arms the route timeout (requestMs / backendRequestMs, the shorter) when the route has one. With a retry policy,
   * requestMs bounds the whole request and backendRequestMs each attempt.
   */
  armTimeout(route: CompiledRoute): void {
    const a = route.requestTimeoutMs;
    const b = route.backendTimeoutMs;
    if (route.retry !== null) {
      this.#retriesLeft = route.retry.retries;
      if (a > 0) this.#timer = setTimeout(onRouteTimeout, a, this);
      if (b > 0) this.#attemptTimer = setTimeout(onAttemptTimeout, b, this);
      return;
    }
    const ms = a > 0 && b > 0 ? Math.min(a, b) : a + b;
    if (ms > 0) this.#timer = setTimeout(onRouteTimeout, ms, this);
  }

  routeTimerFired(): void {
    this.#timer = null;
    this.timeout();
  }

  attemptTimerFired(): void {
    this.#attemptTimer = null;
    this.attemptTimeout();
  }

  /** The response status `status` of the current attempt is to be discarded and the request retried. */
  retriableStatus(status: number): boolean {
    const retry = this.route!.retry;
    return retry !== null && this.#retriesLeft > 0 && (!this.hasBody || this.bodyKept) && retry.codes.includes(status);
  }

  /**
   * The current attempt failed before anything reached the client (the engine has let go of it): schedules the next
   * attempt after the backoff. False when the route has no policy, no retry is left or the request has a body.
   */
  protected scheduleRetry(): boolean {
    const retry = this.route?.retry;
    if (retry === null || retry === undefined || this.#retriesLeft <= 0) return false;
    if (this.hasBody && !this.bodyKept) return false;
    this.#retriesLeft--;
    this.#clearAttemptTimer();
    this.#backoffTimer = setTimeout(onBackoffDone, retry.backoffMs, this);
    return true;
  }

  /** Starts the next attempt: the next endpoint of the chosen backend's cluster, no mirrors (sent once). */
  backoffDone(): void {
    this.#backoffTimer = null;
    const route = this.route!;
    const endpoint = this.backend!.cluster!.pick();
    if (endpoint === undefined) {
      this.clearTimer();
      this.fail('ARCHWAY_ERR_NO_ENDPOINTS');
      return;
    }
    if (route.backendTimeoutMs > 0) this.#attemptTimer = setTimeout(onAttemptTimeout, route.backendTimeoutMs, this);
    this.dispatch(endpoint, this.target(), null);
  }

  /** What a failed attempt answers when it is the last: with a retry policy, connection failures become 503. */
  protected lastAttemptCode(code: ResponseErrorCode): ResponseErrorCode {
    if (this.route?.retry == null) return code;
    return code === 'ARCHWAY_ERR_UPSTREAM_CONNECT' || code === 'ARCHWAY_ERR_UPSTREAM_RESET'
      ? 'ARCHWAY_ERR_RETRIES_EXHAUSTED'
      : code;
  }

  /** Clears every timer of the request (route, attempt, backoff): called when it ends, whichever way. */
  protected clearTimer(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#attemptTimer !== null) this.#clearAttemptTimer();
    if (this.#backoffTimer !== null) {
      clearTimeout(this.#backoffTimer);
      this.#backoffTimer = null;
    }
  }

  #clearAttemptTimer(): void {
    if (this.#attemptTimer !== null) {
      clearTimeout(this.#attemptTimer);
      this.#attemptTimer = null;
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
