/**
 * Flow collections for the fast YAML reader: `[a, b]` and `{k: v}` that open and close on one line, holding plain
 * scalars without colons, quoted scalars and other flow collections.
 *
 * Owns: reading one flow node. Multi-line collections, empty or trailing entries, single-pair mappings in sequences,
 * keys without values and comments inside throw Unsupported.
 */
import {
  CLOSE_MAP,
  CLOSE_SEQ,
  COLON,
  COMMA,
  DQUOTE,
  HASH,
  isFlowEnd,
  keyName,
  keyText,
  MAX_DEPTH,
  OPEN_MAP,
  OPEN_SEQ,
  plainStart,
  SPACE,
  SQUOTE,
  setKey,
} from './chars.ts';
import { doubleQuoted, plainValue, type Quoted, singleQuoted, UNSUPPORTED } from './scalars.ts';

/** The reader state flow collections use. */
export interface FlowState {
  readonly src: string;
  /** Set by the flow readers: the offset just past what they read. */
  at: number;
  readonly quoted: Quoted;
  depth: number;
  /** Set while reading the root mapping's `items`: the collection that is its value records its item offsets. */
  recordItems: boolean;
  /** The offsets of the `items` entries, if the collection being opened is the value of the root's `items`. */
  takeItemStarts(): number[] | undefined;
}

/** The flow node at `p` on a line whose content ends at `lineEnd`; sets `at` past it. */
export function flowNode(r: FlowState, p: number, lineEnd: number): unknown {
  const { src, quoted } = r;
  const c = src.charCodeAt(p);
  if (c === OPEN_SEQ) return flowSeq(r, p, lineEnd);
  if (c === OPEN_MAP) return flowMap(r, p, lineEnd);
  if (c === DQUOTE || c === SQUOTE) {
    readQuoted(src, p, lineEnd, quoted);
    r.at = quoted.end;
    return quoted.value;
  }
  return plainValue(flowPlain(r, p, lineEnd, false));
}

/** A quoted scalar starting at `p` (`"` or `'`), into `out`. */
export function readQuoted(src: string, p: number, lineEnd: number, out: Quoted): void {
  if (src.charCodeAt(p) === DQUOTE) doubleQuoted(src, p, lineEnd, out);
  else singleQuoted(src, p, lineEnd, out);
}

function skipSpaces(src: string, p: number): number {
  while (src.charCodeAt(p) === SPACE) p++;
  return p;
}

function enter(r: FlowState): void {
  if (++r.depth > MAX_DEPTH) throw UNSUPPORTED;
}

function flowSeq(r: FlowState, p: number, lineEnd: number): unknown[] {
  enter(r);
  const starts = r.takeItemStarts();
  const out: unknown[] = [];
  let i = skipSpaces(r.src, p + 1);
  if (i < lineEnd && r.src.charCodeAt(i) === CLOSE_SEQ) r.at = i + 1;
  else {
    for (;;) {
      if (i >= lineEnd) throw UNSUPPORTED;
      starts?.push(i);
      out.push(flowNode(r, i, lineEnd));
      i = separator(r, skipSpaces(r.src, r.at), CLOSE_SEQ, lineEnd);
      if (i < 0) break;
    }
  }
  r.depth--;
  return out;
}

function flowMap(r: FlowState, p: number, lineEnd: number): Record<string, unknown> {
  enter(r);
  r.recordItems = false;
  const { src, quoted } = r;
  const out: Record<string, unknown> = {};
  let i = skipSpaces(src, p + 1);
  if (i < lineEnd && src.charCodeAt(i) === CLOSE_MAP) r.at = i + 1;
  else {
    for (;;) {
      if (i >= lineEnd) throw UNSUPPORTED;
      let key: string;
      const c = src.charCodeAt(i);
      if (c === DQUOTE || c === SQUOTE) {
        readQuoted(src, i, lineEnd, quoted);
        key = keyName(quoted.value);
        i = skipSpaces(src, quoted.end);
        if (src.charCodeAt(i) !== COLON) throw UNSUPPORTED;
      } else {
        key = keyName(plainValue(flowPlain(r, i, lineEnd, true)));
        i = r.at;
      }
      const v = skipSpaces(src, i + 1);
      const vc = src.charCodeAt(v);
      if (v >= lineEnd || vc === COMMA || vc === CLOSE_MAP) throw UNSUPPORTED; // a key without a value
      r.recordItems = r.depth === 1 && key === 'items';
      const value = flowNode(r, v, lineEnd);
      r.recordItems = false;
      setKey(out, key, value);
      i = separator(r, skipSpaces(src, r.at), CLOSE_MAP, lineEnd);
      if (i < 0) break;
    }
  }
  r.depth--;
  return out;
}

/** After an entry: `,` then the next entry (its offset), or the closing bracket (-1, and `at` past it). */
function separator(r: FlowState, i: number, close: number, lineEnd: number): number {
  const c = r.src.charCodeAt(i);
  if (i < lineEnd && c === close) {
    r.at = i + 1;
    return -1;
  }
  if (i >= lineEnd || c !== COMMA) throw UNSUPPORTED;
  const next = skipSpaces(r.src, i + 1);
  const n = r.src.charCodeAt(next);
  if (next >= lineEnd || n === close || n === COMMA) throw UNSUPPORTED; // a trailing or empty entry
  return next;
}

/**
 * The text of a plain scalar in a flow collection, without colons; sets `at` to its end (for a key, to its colon,
 * which must be followed by a space).
 */
function flowPlain(r: FlowState, p: number, lineEnd: number, key: boolean): string {
  const { src } = r;
  if (!plainStart(src, p, true)) throw UNSUPPORTED;
  let i = p + 1;
  for (; i < lineEnd; i++) {
    const ch = src.charCodeAt(i);
    if (ch === COLON) {
      if (!key || src.charCodeAt(i + 1) !== SPACE) throw UNSUPPORTED;
      break;
    }
    if (isFlowEnd(ch)) {
      if (key) throw UNSUPPORTED;
      break;
    }
    if (ch === HASH && src.charCodeAt(i - 1) === SPACE) throw UNSUPPORTED;
  }
  if (i >= lineEnd) throw UNSUPPORTED;
  let e = i;
  while (src.charCodeAt(e - 1) === SPACE) e--;
  r.at = i;
  return key ? keyText(src, p, e) : src.slice(p, e);
}
