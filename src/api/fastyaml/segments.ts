/**
 * The cheap scan that cuts a YAML stream into documents without parsing it, and finds what the fast path leaves to
 * the `yaml` package.
 *
 * Owns: document boundaries (a `---` or `...` line: YAML forbids both at the start of a line inside a document, so
 * they always end one), which documents hold characters the fast parser does not take (tabs, control characters,
 * lone carriage returns, byte order marks, lone surrogates), and line numbers for offsets.
 */

export interface Segment {
  /** Where the `yaml` package would start reading this document on its own (0, or a `---` line). */
  readonly start: number;
  /** The first line after the marker line: where the document's content is read from. */
  readonly body: number;
  readonly end: number;
  /** Whether the fast parser may read it (false: content on the `---` line, or a character it does not take). */
  fast: boolean;
}

const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
const DIRECTIVE = /^%/m;
/** Characters outside the fast subset: tab, C0/C1 controls, CR not before LF, BOM, line separators, lone surrogates. */
const UNTAKEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\r(?!\n)|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The documents of `text`, or undefined when the stream has directives (`%YAML`, `%TAG`: they change how the next
 * document is read, so the whole stream goes to the `yaml` package).
 */
export function segments(text: string): Segment[] | undefined {
  if (DIRECTIVE.test(text)) return undefined;
  const out: Segment[] = [];
  let start = 0;
  let body = 0;
  let fast = true;
  for (const m of text.matchAll(MARKER)) {
    out.push({ start, body, end: m.index, fast });
    const lineEnd = endOfLine(text, m.index);
    const restOk = onlyComment(text, m.index + 3, lineEnd);
    if (m[0] === '...' && !restOk) return undefined;
    start = m[0] === '...' ? Math.min(lineEnd + 1, text.length) : m.index;
    body = Math.min(lineEnd + 1, text.length);
    fast = restOk;
  }
  out.push({ start, body, end: text.length, fast });
  markUntaken(text, out);
  return out;
}

function endOfLine(text: string, from: number): number {
  const e = text.indexOf('\n', from);
  return e < 0 ? text.length : e;
}

/** Whether text[from, to) is blank, or blanks then a comment (a `#` after at least one space). */
function onlyComment(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && text.charCodeAt(i) === 32) i++;
  if (i === to || (i === to - 1 && text.charCodeAt(i) === 13)) return true;
  return i > from && text.charCodeAt(i) === 35;
}

/** Whether `text` has a character the fast paths do not take. */
export function hasUntaken(text: string): boolean {
  UNTAKEN.lastIndex = 0;
  const found = UNTAKEN.test(text);
  UNTAKEN.lastIndex = 0;
  return found;
}

function markUntaken(text: string, segs: Segment[]): void {
  let k = 0;
  for (const m of text.matchAll(UNTAKEN)) {
    while (k < segs.length - 1 && (segs[k]?.end ?? 0) <= m.index) k++;
    const seg = segs[k];
    if (seg) seg.fast = false;
  }
}

/**
 * 1-based line numbers of offsets in a text, counted from the offset asked before: decoding asks for offsets mostly
 * in order, so the text is scanned about once.
 */
export class Lines {
  readonly #text: string;
  #offset = 0;
  #line = 1;

  constructor(text: string) {
    this.#text = text;
  }

  at(offset: number): number {
    const text = this.#text;
    let line = this.#line;
    if (offset >= this.#offset) {
      for (let i = text.indexOf('\n', this.#offset); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    } else {
      for (
        let i = text.lastIndexOf('\n', this.#offset - 1);
        i >= offset;
        i = i > 0 ? text.lastIndexOf('\n', i - 1) : -1
      )
        line--;
    }
    this.#offset = offset;
    this.#line = line;
    return line;
  }
}
