/**
 * A fast reader for the YAML that configuration files are made of: block mappings and sequences, single-line flow
 * collections (flow.ts), plain and quoted single-line scalars (scalars.ts), and block scalars (blockscalar.ts). It
 * builds the same plain JavaScript values as the `yaml` package's toJS().
 *
 * Owns: the block structure of one document. It reads no anchors, aliases, tags, merge keys, complex or null keys,
 * multi-line plain or quoted scalars, or multi-line flow collections: on any of these, and on anything that might be
 * an error (a duplicate key, odd indentation), it throws Unsupported and the document goes to the `yaml` package,
 * which stays the authority on what a document means and on every error.
 */
import { blockScalar, type LineState } from './blockscalar.ts';
import {
  COLON,
  CR,
  DASH,
  DQUOTE,
  FOLDED,
  HASH,
  keyName,
  keyText,
  LF,
  LITERAL,
  MAX_DEPTH,
  MAX_KEY,
  OPEN_MAP,
  OPEN_SEQ,
  plainStart,
  SPACE,
  SQUOTE,
  setKey,
} from './chars.ts';
import { type FlowState, flowNode, readQuoted } from './flow.ts';
import { plainValue, type Quoted, UNSUPPORTED } from './scalars.ts';

export interface FastDocument {
  /** undefined for a document with no content. */
  readonly value: unknown;
  /** Offset of the root node. */
  readonly start: number;
  /** Offsets of the items of a root mapping's `items` sequence (a List), when it has one. */
  readonly itemStarts: readonly number[] | undefined;
}

/** Reads the document whose content lies in src[body, end); throws Unsupported outside the subset. */
export function parseDocument(src: string, body: number, end: number): FastDocument {
  return new Reader(src, end).document(body);
}

class Reader implements FlowState, LineState {
  readonly src: string;
  readonly end: number;
  /** Start of the current content line (the next line that is not blank or a comment), or `end`. */
  pos = 0;
  /** Indentation of the current content line; -1 when there is none left. */
  ind = -1;
  depth = 0;
  recordItems = false;
  itemStarts: number[] | undefined;
  /** Set by keyAt(): the key, and the offset after its colon. */
  key = '';
  afterColon = 0;
  at = 0;
  readonly quoted: Quoted = { value: '', end: 0 };

  constructor(src: string, end: number) {
    this.src = src;
    this.end = end;
  }

  document(body: number): FastDocument {
    this.advance(body);
    if (this.ind < 0) return { value: undefined, start: body, itemStarts: undefined };
    const start = this.pos + this.ind;
    const value = this.node(start, this.ind, -1);
    if (this.ind >= 0) throw UNSUPPORTED;
    return { value, start, itemStarts: this.itemStarts };
  }

  // ------------------------------------------------------------------------------------------------ lines

  advance(p: number): void {
    const { src, end } = this;
    while (p < end) {
      const q = this.skipSpaces(p);
      const c = src.charCodeAt(q);
      if (q < end && c !== LF && c !== CR && c !== HASH) {
        this.pos = p;
        this.ind = q - p;
        return;
      }
      p = this.nextLine(q);
    }
    this.pos = end;
    this.ind = -1;
  }

  /** The start of the line after the one holding `p`. */
  nextLine(p: number): number {
    const e = this.src.indexOf('\n', p);
    return e < 0 || e >= this.end ? this.end : e + 1;
  }

  /** The end of the content of the line holding `p` (before its CR LF or LF). */
  lineEnd(p: number): number {
    let e = this.src.indexOf('\n', p);
    if (e < 0 || e > this.end) e = this.end;
    return this.src.charCodeAt(e - 1) === CR ? e - 1 : e;
  }

  skipSpaces(p: number): number {
    while (this.src.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** Whether `p` (after spaces) ends the line's content: the end of the line, or a comment. */
  atLineEnd(p: number, lineEnd: number): boolean {
    return p >= lineEnd || this.src.charCodeAt(p) === HASH;
  }

  /** After a node that ends mid-line: only spaces and a comment (after a space) may follow. */
  finishLine(p: number): void {
    const q = this.skipSpaces(p);
    if (q < this.lineEnd(p) && !(q > p && this.src.charCodeAt(q) === HASH)) throw UNSUPPORTED;
    this.advance(this.nextLine(q));
  }

  isSeqEntry(p: number): boolean {
    if (this.src.charCodeAt(p) !== DASH) return false;
    const c = this.src.charCodeAt(p + 1);
    return c === SPACE || c === LF || c === CR || p + 1 >= this.end;
  }

  takeItemStarts(): number[] | undefined {
    if (!this.recordItems) return undefined;
    this.recordItems = false;
    this.itemStarts = [];
    return this.itemStarts;
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) throw UNSUPPORTED;
  }

  // ------------------------------------------------------------------------------------------------ block

  /**
   * The node starting at `p` (column `col`) on the current line. `parent` is the indentation of the block collection
   * whose entry holds it on the same line (a block scalar's content must be indented more), or -1 where a block
   * scalar is not read (at the root, or alone on its line).
   */
  node(p: number, col: number, parent: number): unknown {
    if (this.isSeqEntry(p)) return this.seq(p, col);
    if (this.keyAt(p)) return this.map(p, col);
    return this.inline(p, parent);
  }

  /** A block mapping whose first key (already read by keyAt) starts at `p`, column `col`. */
  map(p: number, col: number): Record<string, unknown> {
    this.enter();
    this.recordItems = false;
    const out: Record<string, unknown> = {};
    for (;;) {
      const key = this.key;
      const q = this.skipSpaces(this.afterColon);
      this.recordItems = this.depth === 1 && key === 'items';
      let value: unknown = null;
      if (this.atLineEnd(q, this.lineEnd(p))) {
        this.advance(this.nextLine(q));
        const at = this.pos + this.ind;
        if (this.ind > col) value = this.node(at, this.ind, -1);
        else if (this.ind === col && this.isSeqEntry(at)) value = this.seq(at, col);
      } else {
        value = this.inline(q, col);
      }
      this.recordItems = false;
      setKey(out, key, value);
      if (this.ind < col) break;
      p = this.pos + col;
      if (this.ind > col || !this.keyAt(p)) throw UNSUPPORTED;
    }
    this.depth--;
    return out;
  }

  /** A block sequence whose first `-` is at `p`, column `col`. */
  seq(p: number, col: number): unknown[] {
    this.enter();
    const starts = this.takeItemStarts();
    const out: unknown[] = [];
    for (;;) {
      const q = this.skipSpaces(p + 1);
      let value: unknown = null;
      let start = q;
      if (this.atLineEnd(q, this.lineEnd(p))) {
        this.advance(this.nextLine(q));
        start = this.pos + this.ind;
        if (this.ind > col) value = this.node(start, this.ind, -1);
      } else {
        value = this.node(q, col + (q - p), col);
      }
      out.push(value);
      starts?.push(start);
      if (this.ind !== col) break;
      p = this.pos + col;
      if (!this.isSeqEntry(p)) break;
    }
    if (this.ind > col) throw UNSUPPORTED;
    this.depth--;
    return out;
  }

  /**
   * Whether the line has a key at `p`: a plain or quoted scalar, then `:` and a space or the end of the line. If so,
   * sets `key` and `afterColon`.
   */
  keyAt(p: number): boolean {
    const { src } = this;
    const lineEnd = this.lineEnd(p);
    const c = src.charCodeAt(p);
    let colon = -1;
    if (c === DQUOTE || c === SQUOTE) {
      readQuoted(src, p, lineEnd, this.quoted);
      const q = this.skipSpaces(this.quoted.end);
      if (src.charCodeAt(q) !== COLON || !this.colonEnds(q + 1, lineEnd)) return false;
      this.key = keyName(this.quoted.value);
      colon = q;
    } else {
      if (!plainStart(src, p)) return false;
      for (let i = p; i < lineEnd; i++) {
        const ch = src.charCodeAt(i);
        if (ch === COLON && this.colonEnds(i + 1, lineEnd)) {
          colon = i;
          break;
        }
        if (ch === HASH && src.charCodeAt(i - 1) === SPACE) return false;
      }
      if (colon < 0) return false;
      let e = colon;
      while (src.charCodeAt(e - 1) === SPACE) e--;
      this.key = keyName(plainValue(keyText(src, p, e)));
    }
    if (colon - p > MAX_KEY) throw UNSUPPORTED;
    this.afterColon = colon + 1;
    return true;
  }

  colonEnds(p: number, lineEnd: number): boolean {
    return p >= lineEnd || this.src.charCodeAt(p) === SPACE;
  }

  /** A scalar or flow collection at `p`, the rest of its line, and the move to the next content line. */
  inline(p: number, parent: number): unknown {
    const { src, quoted } = this;
    const c = src.charCodeAt(p);
    if (c === OPEN_SEQ || c === OPEN_MAP) {
      const value = flowNode(this, p, this.lineEnd(p));
      this.finishLine(this.at);
      return value;
    }
    if (c === DQUOTE || c === SQUOTE) {
      readQuoted(src, p, this.lineEnd(p), quoted);
      this.finishLine(quoted.end);
      return quoted.value;
    }
    if ((c === LITERAL || c === FOLDED) && parent >= 0) return blockScalar(this, p, parent);
    return this.plain(p);
  }

  /** A single-line plain scalar in block context. */
  plain(p: number): unknown {
    const { src } = this;
    if (!plainStart(src, p)) throw UNSUPPORTED;
    const lineEnd = this.lineEnd(p);
    let e = lineEnd;
    for (let i = p + 1; i < lineEnd; i++) {
      const ch = src.charCodeAt(i);
      if (ch === COLON && this.colonEnds(i + 1, lineEnd)) throw UNSUPPORTED;
      if (ch === HASH && src.charCodeAt(i - 1) === SPACE) {
        e = i;
        break;
      }
    }
    const next = this.nextLine(e);
    while (src.charCodeAt(e - 1) === SPACE) e--;
    this.advance(next);
    return plainValue(src.slice(p, e));
  }
}
