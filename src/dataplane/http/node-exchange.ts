/**
 * The node engine's request: a node:http request/response pair, forwarded with undici's Pool.dispatch whose handler
 * is the exchange itself. It owns the three ways a request ends (upstream done, upstream failed, client gone) so
 * that the upstream is aborted when the client disconnects (the pool never leaks a connection) and the observer is
 * called exactly once. On a route with a retry policy each attempt has its own handler (RetryAttempt), so that the
 * late callbacks of an attempt given up on (retriable status, attempt timeout) are told apart and ignored.
 */

import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { http } from '../../lib/node-http.ts';
import {
  ClientClosedError,
  DataplaneError,
  ERROR_STATUS,
  type ResponseErrorCode,
  RouteTimeoutError,
  upstreamErrorCode,
} from '../errors.ts';
import { sendMirror, teeBody } from '../upstream/mirror.ts';
import type { Endpoint } from '../upstream/pools.ts';
import { Exchange, type ListenerContext, RETRY_BODY_BYTES } from './exchange.ts';
import { responseHeaders } from './filters.ts';
import { handleExchange } from './handler.ts';
import { responseHeaderList, type UpstreamHeaders } from './headers.ts';
import { sendRedirect, sendStatus } from './respond.ts';
import type { MirrorPlan } from './table.ts';

const { ServerResponse } = http;

const EMPTY = Buffer.alloc(0);

/** A request body small enough (by Content-Length) to be kept for retries. */
function keepable(ex: NodeExchange): boolean {
  const headers = ex.req.headers;
  const length = Number(headers['content-length']);
  return ex.hasBody && headers['transfer-encoding'] === undefined && length > 0 && length <= RETRY_BODY_BYTES;
}

/** node:http response class that can point back at its exchange (lets module-level listeners avoid closures). */
export class ProxyResponse extends ServerResponse<IncomingMessage> {
  exchange: NodeExchange | null = null;
}

const CLIENT_CLOSED = new ClientClosedError('client closed the connection');
const ROUTE_TIMEOUT = new RouteTimeoutError('route timeout');
const ATTEMPT_OVER = new RouteTimeoutError('retry attempt given up');

function onDrain(this: ProxyResponse): void {
  this.exchange?.resumeUpstream();
}

function onResponseClose(this: ProxyResponse): void {
  this.exchange?.onClientClose();
}

/** The undici handler of one attempt of a retried request: forwards to the exchange while it is the current one. */
class RetryAttempt implements Dispatcher.DispatchHandler {
  readonly ex: NodeExchange;

  constructor(ex: NodeExchange) {
    this.ex = ex;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.ex.attempt === this) this.ex.onRequestStart(controller);
    else controller.abort(ATTEMPT_OVER);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: UpstreamHeaders,
    statusMessage?: string,
  ): void {
    if (this.ex.attempt === this) this.ex.onResponseStart(controller, statusCode, headers, statusMessage);
    else controller.abort(ATTEMPT_OVER);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.ex.attempt === this) this.ex.onResponseData(controller, chunk);
  }

  onResponseEnd(): void {
    if (this.ex.attempt === this) this.ex.onResponseEnd();
  }

  onResponseError(controller: Dispatcher.DispatchController | null, err: Error): void {
    if (this.ex.attempt === this) this.ex.onResponseError(controller, err);
  }
}

export class NodeExchange extends Exchange implements Dispatcher.DispatchHandler {
  readonly req: IncomingMessage;
  readonly res: ProxyResponse;
  /** The current attempt's handler (routes with a retry policy only). */
  attempt: RetryAttempt | null = null;
  #controller: Dispatcher.DispatchController | null = null;
  /** The request body kept for retries (EMPTY while it is being read). */
  #kept: Buffer | null = null;
  #clientGone = false;
  #upstreamDone = false;
  #truncated = false;

  constructor(ctx: ListenerContext, req: IncomingMessage, res: ProxyResponse) {
    const startedAt = ctx.observer === null ? 0 : performance.now();
    super(ctx, req.method ?? 'GET', req.url ?? '/', req.rawHeaders, req.socket.remoteAddress ?? '', startedAt);
    this.req = req;
    this.res = res;
  }

  fail(code: ResponseErrorCode): void {
    const status = ERROR_STATUS[code];
    this.status = status;
    sendStatus(this.res, status, this.ctx.closing || status === 400 || status === 431);
  }

  redirect(status: number, headers: string[]): void {
    this.status = status;
    sendRedirect(this.res, status, headers, this.ctx.closing);
  }

  dispatch(endpoint: Endpoint, target: string, mirrors: readonly MirrorPlan[] | null): void {
    if (this.route!.retry !== null && this.#kept === null && mirrors === null && keepable(this)) {
      this.#keepBody(endpoint, target);
      return;
    }
    let body: Readable | Buffer | null = this.#kept ?? (this.hasBody ? this.req : null);
    if (mirrors !== null) body = this.#mirror(mirrors, target);
    const request = { path: target, method: this.method as Dispatcher.HttpMethod, headers: this.headers, body };
    if (this.route!.retry === null) {
      endpoint.undici().dispatch(request, this);
      return;
    }
    this.attempt = new RetryAttempt(this);
    endpoint.undici().dispatch(request, this.attempt);
  }

  /** Reads a small request body whole (retried routes), then sends the first attempt with it. */
  #keepBody(endpoint: Endpoint, target: string): void {
    const chunks: Buffer[] = [];
    this.#kept = EMPTY;
    this.req.on('data', (chunk: Buffer) => chunks.push(chunk));
    this.req.once('end', () => {
      if (this.#upstreamDone || this.#clientGone) return;
      this.#kept = Buffer.concat(chunks);
      this.bodyKept = true;
      this.dispatch(endpoint, target, null);
    });
  }

  /** Sends the mirrors' copies; returns the body stream the main request must read. */
  #mirror(mirrors: readonly MirrorPlan[], target: string): Readable | null {
    const copy = { path: target, method: this.method, headers: this.headers };
    if (!this.hasBody) {
      for (const m of mirrors) sendMirror(m.cluster, copy, null);
      return null;
    }
    const tee = teeBody(this.req, mirrors.length, this.ctx.limits.mirrorBodyBytes);
    mirrors.forEach((m, i) => {
      sendMirror(m.cluster, copy, tee.copies[i]!);
    });
    return tee.main;
  }

  protected attemptTimeout(): void {
    if (this.#upstreamDone || this.res.headersSent) {
      this.timeout();
      return;
    }
    this.#dropAttempt();
    if (this.scheduleRetry()) return;
    this.#upstreamDone = true;
    this.clearTimer();
    if (!this.#clientGone) this.fail('ARCHWAY_ERR_ROUTE_TIMEOUT');
  }

  /** Gives up on the current attempt: its late callbacks are ignored, its connection aborted. */
  #dropAttempt(): void {
    const controller = this.#controller;
    this.attempt = null;
    this.#controller = null;
    controller?.abort(ATTEMPT_OVER);
  }

  protected timeout(): void {
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
    if (statusCode < 200) return; // interim (103...): the final response follows
    if (this.retriableStatus(statusCode)) {
      this.#dropAttempt();
      this.scheduleRetry();
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
    this.clearTimer();
    this.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    if (this.#upstreamDone) return;
    if (this.attempt !== null && !this.#clientGone && !this.res.headersSent && !(err instanceof DataplaneError)) {
      this.#dropAttempt();
      if (this.scheduleRetry()) return;
    }
    this.#upstreamDone = true;
    this.clearTimer();
    if (this.#clientGone) return;
    const code = upstreamErrorCode(err);
    if (!this.res.headersSent) {
      this.fail(this.lastAttemptCode(code));
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
      this.clearTimer();
      this.#controller?.abort(CLIENT_CLOSED);
    }
    const finished = this.res.writableFinished || this.#truncated;
    this.report(finished ? this.status : ERROR_STATUS.ARCHWAY_ERR_CLIENT_CLOSED);
  }
}

/** The node:http 'request' listener of every listener on the node engine. */
export function handleNodeRequest(ctx: ListenerContext, req: IncomingMessage, res: ProxyResponse): void {
  // hot path
  const ex = new NodeExchange(ctx, req, res);
  res.exchange = ex;
  res.on('close', onResponseClose);
  handleExchange(ex);
}
