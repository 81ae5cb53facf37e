/**
 * Scalars for the fast YAML path: plain scalars resolved exactly as the `yaml` package resolves them (YAML 1.2 core
 * schema: null, booleans, 0o/0x/decimal integers, floats with .inf/.nan; everything else, `yes`, `no` and timestamps
 * included, stays a string), and single-line quoted scalars with the same escapes.
 *
 * Owns: the value of one scalar. Anything this module cannot decode with certainty throws Unsupported, and the
 * document goes to the `yaml` package instead. The core schema's tests are restated here (the same patterns, in the
 * same order, as the package's schema/core) rather than taken from the package, so that a config the fast path reads
 * whole never loads it; scalars.test.ts checks them against the package.
 */

/** Thrown when text is outside the fast subset; the caller hands the document to the `yaml` package. */
export class Unsupported extends Error {}

/** One preallocated instance: bailing out is control flow, its stack trace is never read. */
export const UNSUPPORTED = new Unsupported('outside the fast YAML subset');

/** How the core schema resolves a plain scalar: the first tag whose test matches, in the package's order. */
interface PlainTag {
  readonly test: RegExp;
  readonly resolve: (s: string) => unknown;
}

const PLAIN_TAGS: readonly PlainTag[] = [
  { test: /^(?:~|[Nn]ull|NULL)?$/, resolve: () => null },
  { test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, resolve: (s) => s[0] === 't' || s[0] === 'T' },
  { test: /^0o[0-7]+$/, resolve: (s) => Number.parseInt(s.slice(2), 8) },
  { test: /^[-+]?[0-9]+$/, resolve: (s) => Number.parseInt(s, 10) },
  { test: /^0x[0-9a-fA-F]+$/, resolve: (s) => Number.parseInt(s.slice(2), 16) },
  {
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (s) =>
      s.slice(-3).toLowerCase() === 'nan'
        ? Number.NaN
        : s[0] === '-'
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY,
  },
  { test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, resolve: (s) => Number.parseFloat(s) },
  { test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, resolve: (s) => Number.parseFloat(s) },
];

/**
 * First characters a core-schema null, bool, int or float can start with (`~`, n/N, t/T, f/F, digits, `+`, `-`,
 * `.`). A plain scalar starting with anything else is a string without trying any tag; one starting with a letter
 * can only be null, true or false, so it is a string when longer than five characters.
 */
const MAY_RESOLVE = new Uint8Array(128);
for (const c of '~0123456789+-.') MAY_RESOLVE[c.charCodeAt(0)] = 1;
for (const c of 'nNtTfF') MAY_RESOLVE[c.charCodeAt(0)] = 2;
const LONGEST_WORD = 'false'.length;

/** The value of a non-empty plain scalar, as the `yaml` package's core schema resolves it. */
export function plainValue(s: string): unknown {
  const c = s.charCodeAt(0);
  const may = c < 128 ? MAY_RESOLVE[c] : 0;
  if (may === 0 || (may === 2 && s.length > LONGEST_WORD)) return s;
  for (let i = 0; i < PLAIN_TAGS.length; i++) {
    const tag = PLAIN_TAGS[i]!;
    if (tag.test.test(s)) return tag.resolve(s);
  }
  return s;
}

/** What the parser needs back from a quoted scalar: its value, and the offset just past its closing quote. */
export interface Quoted {
  value: string;
  end: number;
}

/** A single-quoted scalar starting at `start` and closing before `lineEnd` (`''` is a quote). */
export function singleQuoted(src: string, start: number, lineEnd: number, out: Quoted): void {
  let value = '';
  let from = start + 1;
  for (;;) {
    const q = src.indexOf("'", from);
    if (q < 0 || q >= lineEnd) throw UNSUPPORTED;
    value += src.slice(from, q);
    if (src.charCodeAt(q + 1) !== 39) {
      out.value = value;
      out.end = q + 1;
      return;
    }
    value += "'";
    from = q + 2;
  }
}

/** The one-character escapes of double-quoted scalars (YAML 1.2 §5.7), as the `yaml` package decodes them. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

const HEX = /^[0-9a-fA-F]+$/;

/** A double-quoted scalar starting at `start` and closing before `lineEnd`. */
export function doubleQuoted(src: string, start: number, lineEnd: number, out: Quoted): void {
  let value = '';
  let from = start + 1;
  for (let i = from; i < lineEnd; i++) {
    const c = src.charCodeAt(i);
    if (c === 34) {
      out.value = value + src.slice(from, i);
      out.end = i + 1;
      return;
    }
    if (c !== 92) continue;
    value += src.slice(from, i);
    const next = src[i + 1] ?? '';
    const simple = ESCAPES[next];
    if (simple !== undefined) {
      value += simple;
      i += 1;
    } else {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
      const hex = src.slice(i + 2, i + 2 + length);
      if (length === 0 || hex.length !== length || i + 2 + length > lineEnd || !HEX.test(hex)) throw UNSUPPORTED;
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) throw UNSUPPORTED;
      value += String.fromCodePoint(code);
      i += 1 + length;
    }
    from = i + 1;
  }
  throw UNSUPPORTED;
}
