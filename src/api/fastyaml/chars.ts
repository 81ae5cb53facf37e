/**
 * The characters and small rules the fast YAML reader shares between block and flow context.
 *
 * Owns: character codes, where a plain scalar may start, which keys are left to the `yaml` package, and how a key
 * is set on a plain object exactly as the `yaml` package's toJS() sets it.
 */
import { UNSUPPORTED } from './scalars.ts';

export const SPACE = 0x20;
export const LF = 0x0a;
export const CR = 0x0d;
export const HASH = 0x23;
export const DASH = 0x2d;
export const COLON = 0x3a;
export const DQUOTE = 0x22;
export const SQUOTE = 0x27;
export const COMMA = 0x2c;
export const OPEN_SEQ = 0x5b;
export const CLOSE_SEQ = 0x5d;
export const OPEN_MAP = 0x7b;
export const CLOSE_MAP = 0x7d;
export const LITERAL = 0x7c;
export const FOLDED = 0x3e;

/** Nesting deeper than this is left to the `yaml` package. */
export const MAX_DEPTH = 64;
/** The `yaml` package rejects implicit keys longer than 1024 characters. */
export const MAX_KEY = 1000;

/** Characters a plain scalar must not start with, in block and flow context alike (`-?:` are checked apart). */
const NOT_PLAIN_START = new Uint8Array(128);
for (const c of '?:,[]{}#&*!|>\'"%@`') NOT_PLAIN_START[c.charCodeAt(0)] = 1;

/** Characters that end a plain scalar inside a flow collection. */
const FLOW_END = new Uint8Array(128);
for (const c of ',[]{}') FLOW_END[c.charCodeAt(0)] = 1;

export function isFlowEnd(c: number): boolean {
  return c < 128 && FLOW_END[c] === 1;
}

/**
 * Whether a plain scalar may start at `p`: not an indicator; `-`, `?` and `:` only when followed by a non-space (in
 * a flow collection, by neither a space nor a flow indicator), as in `-1` or `::1`.
 */
export function plainStart(src: string, p: number, flow = false): boolean {
  const c = src.charCodeAt(p);
  if (c === DASH || c === COLON || c === 0x3f) {
    const n = src.charCodeAt(p + 1);
    if (flow && isFlowEnd(n)) return false;
    return !(n === SPACE || n === LF || n === CR || Number.isNaN(n));
  }
  return !(c < 128 && NOT_PLAIN_START[c] === 1) && c !== SPACE && c !== LF && c !== CR;
}

/**
 * Recently read keys by length and first and last character: a document repeats the same few keys, and reusing one
 * string each (already a property name) saves a copy and a string-table lookup per key. Only short keys are kept,
 * so that no slice of a file's text outlives its decoding.
 */
const RECENT_KEYS: string[] = new Array<string>(512).fill('');
const MAX_RECENT_KEY = 12;

/** src[start, end), the string seen last for these characters where it is the same. */
export function keyText(src: string, start: number, end: number): string {
  const n = end - start;
  if (n > MAX_RECENT_KEY || n === 0) return src.slice(start, end);
  const slot = (n * 31 + src.charCodeAt(start) * 7 + src.charCodeAt(end - 1)) & 511;
  const recent = RECENT_KEYS[slot] as string;
  if (recent.length === n && src.startsWith(recent, start)) return recent;
  const text = src.slice(start, end);
  RECENT_KEYS[slot] = text;
  return text;
}

/** A key as it becomes a property name; null, collection and merge (`<<`) keys are left to the `yaml` package. */
export function keyName(key: unknown): string {
  if (key === null || typeof key === 'object' || key === '<<') throw UNSUPPORTED;
  return String(key);
}

/**
 * Sets `key` on `out` as the `yaml` package's toJS() does (`__proto__` becomes an own property, never the
 * prototype); a duplicate key is left to the `yaml` package, which reports it.
 */
export function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (Object.hasOwn(out, key)) throw UNSUPPORTED;
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}
