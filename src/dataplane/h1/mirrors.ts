/**
 * RequestMirror for the raw engine: fire-and-forget copies of a request, each sent over its endpoint's own raw
 * keep-alive pool (mirror-copy.ts), so the default engine never loads undici. A copy's body is fed from the main
 * request's body as it flows; a copy that holds more than mirrorBodyBytes is dropped, and copies whose body will not
 * complete are cut, so a mirror never slows or fails the main request.
 */

import type { MirrorPlan } from '../http/table.ts';
import { MirrorCopy, type MirrorRequest } from './mirror-copy.ts';

export class MirrorBodies {
  readonly #copies: MirrorCopy[];

  constructor(copies: MirrorCopy[]) {
    this.#copies = copies;
  }

  /** Copies a body chunk to each mirror still wanted. */
  feed(chunk: Buffer): void {
    for (const c of this.#copies) c.feed(chunk);
  }

  end(): void {
    for (const c of this.#copies) c.end();
  }

  /** Cuts the copies whose body did not end (their requests are abandoned). */
  destroy(): void {
    for (const c of this.#copies) c.destroy();
  }
}

/** Sends one copy per mirror (a mirror without endpoints is skipped); returns the bodies to feed, or null. */
export function startMirrors(
  mirrors: readonly MirrorPlan[],
  copy: MirrorRequest,
  hasBody: boolean,
  maxBuffered: number,
): MirrorBodies | null {
  const copies: MirrorCopy[] = [];
  for (const m of mirrors) {
    const endpoint = m.cluster.pick();
    if (endpoint !== undefined) copies.push(new MirrorCopy(endpoint, copy, hasBody, maxBuffered));
  }
  return hasBody && copies.length !== 0 ? new MirrorBodies(copies) : null;
}
