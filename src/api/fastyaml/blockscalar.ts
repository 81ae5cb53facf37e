/**
 * Block scalars for the fast YAML reader: literal (`|`, `|-`) and folded (`>`, `>-`), their indentation detected
 * from the first line, read as the `yaml` package reads them.
 *
 * Owns: one block scalar. Keep chomping (`+`), indentation indicators, leading empty lines, lines of spaces, and
 * more-indented lines in folded scalars throw Unsupported.
 */
import { DASH, FOLDED, HASH } from './chars.ts';
import { UNSUPPORTED } from './scalars.ts';

/** The line handling block scalars use. */
export interface LineState {
  readonly src: string;
  readonly end: number;
  lineEnd(p: number): number;
  nextLine(p: number): number;
  skipSpaces(p: number): number;
  /** Moves to the first content line at or after the line start `p`. */
  advance(p: number): void;
}

/** The block scalar whose header is at `p`, inside a block collection indented `parent`. */
export function blockScalar(r: LineState, p: number, parent: number): string {
  const { src } = r;
  const folded = src.charCodeAt(p) === FOLDED;
  let h = p + 1;
  const strip = src.charCodeAt(h) === DASH;
  if (strip) h++;
  const q = r.skipSpaces(h);
  if (q < r.lineEnd(h) && !(q > h && src.charCodeAt(q) === HASH)) throw UNSUPPORTED;
  const lines: string[] = [];
  let blanks = 0;
  let indent = -1;
  let line = r.nextLine(q);
  while (line < r.end) {
    const contentEnd = r.lineEnd(line);
    const text = r.skipSpaces(line);
    const k = text - line;
    if (text >= contentEnd) {
      if (k > 0 || indent < 0) throw UNSUPPORTED; // a line of spaces, or a leading empty line
      blanks++;
    } else {
      if (indent < 0) indent = k > parent ? k : 0;
      if (k < indent || indent === 0) {
        if (k > parent) throw UNSUPPORTED; // less indented than the first line, yet inside the scalar
        break;
      }
      if (folded && k > indent) throw UNSUPPORTED;
      for (; blanks > 0; blanks--) lines.push('');
      lines.push(src.slice(line + indent, contentEnd));
    }
    line = r.nextLine(contentEnd);
  }
  r.advance(line);
  if (lines.length === 0) return '';
  const value = folded ? fold(lines) : lines.join('\n');
  return strip ? value : `${value}\n`;
}

/** Folds lines as the `yaml` package does: a line break becomes a space, and n empty lines n line breaks. */
function fold(lines: readonly string[]): string {
  let value = '';
  let sep = '';
  for (const line of lines) {
    if (line !== '') {
      value += sep + line;
      sep = ' ';
    } else if (sep === '\n') value += '\n';
    else sep = '\n';
  }
  return value;
}
