/**
 * The chunked transfer coding (RFC 9112 7.1), decoded strictly and incrementally over Buffers as they arrive:
 * chunk-size is 1..16 hex digits (at most 2^40 bytes), directly followed by CRLF or by extensions (";..." of visible
 * characters, at most 1 KiB, then CRLF); chunk data is followed by exactly CRLF; the trailer section's field lines
 * are checked like header fields, bounded in size, and dropped. Anything else is an error: a proxy must not guess
 * where a chunk ends.
 */

import { CR, FIELD_VALUE, HEX_VALUE, LF, SEMICOLON, TCHAR } from './chars.ts';

/** Receives decoded data; returning false asks the decoder to stop after this piece (backpressure). */
export interface ChunkSink {
  onChunkData(buf: Buffer, start: number, end: number): boolean;
}

const SIZE = 0;
const EXT = 1;
const SIZE_LF = 2;
const DATA = 3;
const DATA_CR = 4;
const DATA_LF = 5;
const TRAILER_START = 6;
const TRAILER_NAME = 7;
const TRAILER_VALUE = 8;
const TRAILER_LF = 9;
const END_LF = 10;
export const CHUNKED_DONE = 11;
export const CHUNKED_ERROR = 12;

const MAX_SIZE_DIGITS = 16;
const MAX_CHUNK = 2 ** 40;
const MAX_EXTENSION = 1024;

export class ChunkedDecoder {
  state = SIZE;
  #size = 0;
  #digits = 0;
  #ext = 0;
  #trailer = 0;
  readonly #maxTrailer: number;

  constructor(maxTrailerBytes: number) {
    this.#maxTrailer = maxTrailerBytes;
  }

  get done(): boolean {
    return this.state === CHUNKED_DONE;
  }

  get failed(): boolean {
    return this.state === CHUNKED_ERROR;
  }

  /**
   * Decodes buf[start, end); returns the index of the first byte not consumed (end, or earlier when the sink asked
   * to pause or the coding ended). Check `done` / `failed` afterwards.
   */
  decode(buf: Buffer, start: number, end: number, sink: ChunkSink): number {
    let i = start;
    while (i < end) {
      const state = this.state;
      if (state === DATA) {
        const n = Math.min(this.#size, end - i);
        this.#size -= n;
        if (this.#size === 0) this.state = DATA_CR;
        const more = sink.onChunkData(buf, i, i + n);
        i += n;
        if (!more) return i;
        continue;
      }
      if (state >= CHUNKED_DONE) return i;
      this.#step(buf[i]!);
      i++;
    }
    return i;
  }

  #fail(): void {
    this.state = CHUNKED_ERROR;
  }

  /** One byte of framing (everything but chunk data). */
  #step(c: number): void {
    switch (this.state) {
      case SIZE:
        this.#sizeByte(c);
        return;
      case EXT:
        if (c === CR) this.state = SIZE_LF;
        else if (FIELD_VALUE[c] !== 1 || ++this.#ext > MAX_EXTENSION) this.#fail();
        return;
      case SIZE_LF:
        if (c !== LF) this.#fail();
        else this.state = this.#size === 0 ? TRAILER_START : DATA;
        return;
      case DATA_CR:
        this.state = c === CR ? DATA_LF : CHUNKED_ERROR;
        return;
      case DATA_LF:
        if (c !== LF) {
          this.#fail();
          return;
        }
        this.state = SIZE;
        this.#digits = 0;
        this.#ext = 0;
        return;
      default:
        this.#trailerByte(c);
    }
  }

  #sizeByte(c: number): void {
    const d = HEX_VALUE[c]!;
    if (d >= 0) {
      this.#size = this.#size * 16 + d;
      if (++this.#digits > MAX_SIZE_DIGITS || this.#size > MAX_CHUNK) this.#fail();
    } else if (this.#digits === 0) {
      this.#fail();
    } else if (c === CR) {
      this.state = SIZE_LF;
    } else if (c === SEMICOLON) {
      this.state = EXT;
    } else {
      this.#fail();
    }
  }

  /** Trailer section: field lines checked like header fields, then dropped; bounded in total size. */
  #trailerByte(c: number): void {
    if (++this.#trailer > this.#maxTrailer) {
      this.#fail();
      return;
    }
    let next = CHUNKED_ERROR;
    switch (this.state) {
      case TRAILER_START:
        if (c === CR) next = END_LF;
        else if (TCHAR[c] === 1) next = TRAILER_NAME;
        break;
      case TRAILER_NAME:
        if (c === 58) next = TRAILER_VALUE;
        else if (TCHAR[c] === 1) next = TRAILER_NAME;
        break;
      case TRAILER_VALUE:
        if (c === CR) next = TRAILER_LF;
        else if (FIELD_VALUE[c] === 1) next = TRAILER_VALUE;
        break;
      case TRAILER_LF:
        if (c === LF) next = TRAILER_START;
        break;
      case END_LF:
        if (c === LF) next = CHUNKED_DONE;
        break;
      default:
    }
    this.state = next;
  }
}
