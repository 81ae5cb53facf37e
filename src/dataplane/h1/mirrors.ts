/**
 * RequestMirror for the raw engine: fire-and-forget copies of a request, sent through the endpoints' undici pools
 * (upstream/mirror.ts). A copy's body is fed from the main request's body as it flows; a copy that buffers more than
 * mirrorBodyBytes is dropped, and copies whose body will not complete are cut, so a mirror never slows or fails the
 * main request.
 */

import { PassThrough } from 'node:stream';
import type { MirrorPlan } from '../http/table.ts';
import { type MirrorRequest, sendMirror } from '../upstream/mirror.ts';

export class MirrorBodies {
  readonly #streams: PassThrough[];
  readonly #maxBuffered: number;

  constructor(streams: PassThrough[], maxBuffered: number) {
    this.#streams = streams;
    this.#maxBuffered = maxBuffered;
  }

  /** Copies a body chunk to each mirror still wanted. */
  feed(chunk: Buffer): void {
    for (const m of this.#streams) {
      if (m.destroyed) continue;
      if (m.writableLength > this.#maxBuffered) m.destroy();
      else m.write(chunk);
    }
  }

  end(): void {
    for (const m of this.#streams) if (!m.destroyed) m.end();
  }

  /** Cuts the copies whose body did not end (their requests fail and are forgotten). */
  destroy(): void {
    for (const m of this.#streams) if (!m.writableEnded) m.destroy();
  }
}

/** Sends one copy per mirror; returns the bodies to feed, or null when the request has no body. */
export function startMirrors(
  mirrors: readonly MirrorPlan[],
  copy: MirrorRequest,
  hasBody: boolean,
  maxBuffered: number,
): MirrorBodies | null {
  if (!hasBody) {
    for (const m of mirrors) sendMirror(m.cluster, copy, null);
    return null;
  }
  const streams: PassThrough[] = [];
  for (const m of mirrors) {
    const stream = new PassThrough();
    streams.push(stream);
    sendMirror(m.cluster, copy, stream);
  }
  return new MirrorBodies(streams, maxBuffered);
}
