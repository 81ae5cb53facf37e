/**
 * One proxied request: its parsed head, the route and backend chosen, and the undici dispatch handler that streams
 * the upstream response to the client. It owns the three ways a request ends (upstream done, upstream failed, client
 * gone) so that the upstream is aborted when the client disconnects (the pool never leaks a connection) and the
 * observer is called exactly once.
 */

import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import {
  ClientClosedError,
  ERROR_STATUS,
  type ResponseErrorCode,
  RouteTimeoutError,
  upstreamErrorCode,
} from '../errors.ts';
import type { DataplaneObserver } from '../observer.ts';
import { responseHeaders } from './filters.ts';
import { responseHeaderList, type UpstreamHeaders } from './headers.ts';
import type { HttpLimits } from './limits.ts';
import { parseQuery, type RequestView } from './match.ts';
import { sendStatus } from './respond.ts';
import type { CompiledBackend, CompiledRoute, CompiledTable } from './table.ts';

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

/** node:http response class that can point back at its exchange (lets module-level listeners avoid closures). */
export class ProxyResponse extends ServerResponse<IncomingMessage> {
  exchange: Exchange | null = null;
}

const CLIENT_CLOSED = new ClientClosedError('client closed the connection');
const ROUTE_TIMEOUT = new RouteTimeoutError('route timeout');

function onDrain(this: ProxyResponse): void {
  this.exchange?.resumeUpstream();
}

function onRouteTimeout(ex: Exchange): void {
  ex.timeout();
}

export class Exchange implements RequestView, Dispatcher.DispatchHandler {
  readonly ctx: ListenerContext;
  readonly table: CompiledTable;
  readonly req: IncomingMessage;
  readonly res: ProxyResponse;
  readonly method: string;
  readonly rawHeaders: readonly string[];
  readonly startedAt: number;
  /** Normalized path (what routes match and, unless rewritten, what is forwarded). */
  path = '/';
  /** "" or "?..." as received. */
  query = '';
  /** Normalized Host: lower-case, without port. */
  host = '';
  /** True when the forwarded target differs from req.url (normalized, absolute-form or rewritten). */
  targetChanged = false;
  /** Outgoing request headers, flat. */
  readonly headers: string[] = [];
  hasBody = false;
  route: CompiledRoute | null = null;
  backend: CompiledBackend | null = null;
  status = 0;
  #query: Map<string, string> | null = null;
  #controller: Dispatcher.DispatchController | null = null;
  #timer: NodeJS.Timeout | null = null;
  #clientGone = false;
  #upstreamDone = false;
  #truncated = false;
  #reported = false;

  constructor(ctx: ListenerContext, req: IncomingMessage, res: ProxyResponse) {
    this.ctx = ctx;
    this.table = ctx.table;
    this.req = req;
    this.res = res;
    this.method = req.method ?? 'GET';
    this.rawHeaders = req.rawHeaders;
    this.startedAt = ctx.observer === null ? 0 : performance.now();
  }

  queryParam(name: string): string | undefined {
    this.#query ??= parseQuery(this.query);
    return this.#query.get(name);
  }

  /** The request target sent upstream. */
  target(): string {
    return this.targetChanged ? this.path + this.query : (this.req.url ?? '/');
  }

  /** Answers with the status mapped from `code`; after a malformed request (400, 431) the connection closes. */
  fail(code: ResponseErrorCode): void {
    const status = ERROR_STATUS[code];
    this.status = status;
    sendStatus(this.res, status, this.ctx.closing || status === 400 || status === 431);
  }

  /** Arms the route timeout (requestMs / backendRequestMs, the shorter) when the route has one. */
  armTimeout(route: CompiledRoute): void {
    const a = route.requestTimeoutMs;
    const b = route.backendTimeoutMs;
    const ms = a > 0 && b > 0 ? Math.min(a, b) : a + b;
    if (ms > 0) this.#timer = setTimeout(onRouteTimeout, ms, this);
  }

  timeout(): void {
    this.#timer = null;
    if (this.#upstreamDone) return;
    if (this.#controller !== null) this.#controller.abort(ROUTE_TIMEOUT);
    else this.onResponseError(null, ROUTE_TIMEOUT);
  }

  resumeUpstream(): void {
    this.#controller?.resume();
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // The client left, or the route timeout already answered, while the request waited for a connection.
    if (this.#clientGone || this.#upstreamDone) controller.abort(CLIENT_CLOSED);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: UpstreamHeaders,
    statusMessage?: string,
  ): void {
    const res = this.res;
    if (this.#clientGone || res.destroyed) {
      controller.abort(CLIENT_CLOSED);
      return;
    }
    const list = responseHeaderList(headers);
    const plan = this.backend!.plan;
    if (plan.responseHeaders.length !== 0) responseHeaders(list, plan);
    if (this.ctx.closing) res.shouldKeepAlive = false;
    this.status = statusCode;
    if (statusMessage) res.writeHead(statusCode, statusMessage, list);
    else res.writeHead(statusCode, list);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    // hot path
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', onDrain);
    }
  }

  onResponseEnd(): void {
    this.#upstreamDone = true;
    this.#clearTimer();
    this.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    if (this.#upstreamDone) return;
    this.#upstreamDone = true;
    this.#clearTimer();
    if (this.#clientGone) return;
    const code = upstreamErrorCode(err);
    if (!this.res.headersSent) {
      this.fail(code);
      return;
    }
    // The response already started: the only honest signal left is to cut the connection.
    this.#truncated = true;
    this.status = ERROR_STATUS[code];
    this.res.destroy();
  }

  /** The client's response closed (finished or connection lost): abort the upstream if still running, report. */
  onClientClose(): void {
    if (!this.#upstreamDone && !this.res.writableFinished) {
      this.#clientGone = true;
      this.#clearTimer();
      this.#controller?.abort(CLIENT_CLOSED);
    }
    this.#report();
  }

  #clearTimer(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  #report(): void {
    const observer = this.ctx.observer;
    if (observer === null || this.#reported) return;
    this.#reported = true;
    const status = this.res.writableFinished || this.#truncated ? this.status : ERROR_STATUS.ARCHWAY_ERR_CLIENT_CLOSED;
    const seconds = (performance.now() - this.startedAt) / 1000;
    observer.requestDone(this.route?.name ?? '', this.backend?.clusterName ?? '', status, seconds);
  }
}
