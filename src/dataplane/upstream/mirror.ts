/**
 * Request mirroring on the node engine: a fire-and-forget copy of a request to one endpoint of a cluster, over its
 * undici pool (the raw engine sends its copies over its own client: h1/mirrors.ts). The copy's response is discarded
 * and its errors ignored; a copy whose body would buffer more than a bound is dropped, so a slow mirror never slows
 * or fails the main request.
 */

import { PassThrough, type Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ClusterRuntime } from './clusters.ts';

/** Stateless handler shared by every mirrored request: consume and forget. */
const DISCARD: Dispatcher.DispatchHandler = {
  onRequestStart() {},
  onResponseStart() {},
  onResponseData() {},
  onResponseEnd() {},
  onResponseError() {},
};

export interface MirrorRequest {
  readonly path: string;
  readonly method: string;
  readonly headers: readonly string[];
}

/** Sends one copy; `body` is null for requests without a body. */
export function sendMirror(cluster: ClusterRuntime, req: MirrorRequest, body: Readable | null): void {
  const endpoint = cluster.pick();
  if (endpoint === undefined) {
    body?.destroy();
    return;
  }
  endpoint
    .undici()
    .dispatch(
      { path: req.path, method: req.method as Dispatcher.HttpMethod, headers: req.headers as string[], body },
      DISCARD,
    );
}

/**
 * Splits a request body into the stream the main request reads (with backpressure) and `copies` streams for mirrors
 * (without: each is destroyed once it buffers more than `maxBuffered` bytes).
 */
export function teeBody(req: Readable, copies: number, maxBuffered: number): { main: Readable; copies: PassThrough[] } {
  const main = new PassThrough();
  const out: PassThrough[] = [];
  for (let i = 0; i < copies; i++) out.push(new PassThrough());
  req.on('data', (chunk: Buffer) => {
    for (const c of out) {
      if (c.destroyed) continue;
      if (c.writableLength > maxBuffered) c.destroy();
      else c.write(chunk);
    }
  });
  req.on('end', () => {
    for (const c of out) if (!c.destroyed) c.end();
  });
  req.on('error', (err) => {
    for (const c of out) c.destroy(err);
  });
  req.pipe(main);
  return { main, copies: out };
}
