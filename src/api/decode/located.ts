/**
 * Decoding with the `yaml` package, which knows the line of every node: the authority on what a stream means and on
 * every syntax error, and the path that locates a field's line for an error message.
 *
 * Owns: reading a whole file (every syntax error, alias and depth limits included, fails the file with no objects),
 * reading one document of it on its own (for src/api/decode/fast.ts), how a file's errors are capped, and finding
 * lines below a node.
 */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from '../fastyaml/yaml-lazy.ts';
import type { Path } from '../validate/issues.ts';
import { byLine, type ConfigError, type Decoded, YAML_ERROR } from './model.ts';
import { decodeDocument, type Sink, type Where } from './objects.ts';

/** A text as the `yaml` package reads it: the documents with their plain values, or the errors. */
export interface ParsedYaml {
  readonly docs: readonly (readonly [Document, unknown])[];
  readonly line: (offset: number) => number;
  /** Syntax errors of every document. */
  readonly syntax: readonly ConfigError[];
  /** Errors converting documents to plain values (alias limits), sought only when there is no syntax error. */
  readonly conversion: readonly ConfigError[];
  /** Whether the parser threw (its error is the one syntax error). */
  readonly threw: boolean;
  /** The line where the text's last line with content starts. */
  readonly lastLine: number;
  /**
   * Whether the `yaml` package counted every line break. Its recovery from some syntax errors skips those inside a
   * token, and then the lines it gives later in the file are off by as many.
   */
  readonly linesCounted: boolean;
}

/** Decodes the whole of `text` with the `yaml` package. */
export function decodeWithYaml(text: string, file: string): Decoded {
  const lineCounter = new LineCounter();
  const parsed = parse(text, file, (offset) => lineCounter.linePos(offset).line, lineCounter);
  const errors = parsed.syntax.length > 0 ? parsed.syntax : parsed.conversion;
  if (errors.length > 0) return { objects: [], errors: capped(errors, file) };
  const sink: Sink = { file, objects: [], errors: [] };
  decodeParsed(sink, parsed);
  return { objects: sink.objects, errors: byLine(sink.errors) };
}

/** Decodes documents read by parseAlone or decodeWithYaml into `sink`. */
export function decodeParsed(sink: Sink, parsed: ParsedYaml): void {
  for (const [doc, value] of parsed.docs) {
    if (value !== null && value !== undefined) decodeDocument(sink, value, where(doc, parsed.line, doc.contents), true);
  }
}

/** Reads text[start, end) (one document of a stream) on its own, its lines counted from `firstLine`. */
export function parseAlone(text: string, start: number, end: number, firstLine: number, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const line = (offset: number) => lineCounter.linePos(offset).line + firstLine - 1;
  return parse(text.slice(start, end), file, line, lineCounter);
}

const MAX_SYNTAX_ERRORS = 50;

/** A file's errors as reported: the first 50, and how many more there are. */
export function capped(errors: readonly ConfigError[], file: string): ConfigError[] {
  if (errors.length <= MAX_SYNTAX_ERRORS) return [...errors];
  const shown = errors.slice(0, MAX_SYNTAX_ERRORS);
  const more = `${errors.length - MAX_SYNTAX_ERRORS} more YAML errors not shown`;
  return [...shown, { file, line: errors[MAX_SYNTAX_ERRORS]?.line ?? 1, message: more, code: YAML_ERROR }];
}

/** Every document with its plain value, and the syntax errors, or else the conversion errors (alias limits). */
function parse(text: string, file: string, line: (offset: number) => number, lineCounter: LineCounter): ParsedYaml {
  const syntax: ConfigError[] = [];
  const conversion: ConfigError[] = [];
  const docs: [Document, unknown][] = [];
  const error = (offset: number, err: unknown): ConfigError => ({
    file,
    line: line(offset),
    message: err instanceof Error ? err.message : String(err),
    code: YAML_ERROR,
  });
  try {
    const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, merge: true });
    for (const doc of parsed) for (const err of doc.errors) syntax.push(error(err.pos[0], err));
    for (const doc of syntax.length === 0 ? parsed : []) {
      if (doc.contents === null) continue;
      try {
        docs.push([doc, doc.toJS({ maxAliasCount: 100 })]);
      } catch (err) {
        conversion.push(error(doc.contents.range?.[0] ?? 0, err));
      }
    }
  } catch (err) {
    return { docs: [], line, syntax: [error(0, err)], conversion: [], threw: true, lastLine: 1, linesCounted: false };
  }
  const lastLine = line(lastLineStart(text));
  const linesCounted = lineCounter.lineStarts.length === lineBreaks(text) + 1;
  return { docs, line, syntax, conversion, threw: false, lastLine, linesCounted };
}

function lineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function lastLineStart(text: string): number {
  let end = text.length;
  while (end > 0 && /\s/.test(text.charAt(end - 1))) end--;
  return text.lastIndexOf('\n', end - 1) + 1;
}

// ------------------------------------------------------------------------------------------------ positions

function where(doc: Document, line: (offset: number) => number, node: Node | null): Where {
  let items: readonly Node[] | undefined;
  return {
    line: () => lineOf(line, node),
    locate: (path) => locate(doc, line, node, path),
    item(i) {
      items ??= itemNodes(doc, node);
      return where(doc, line, items[i] ?? node);
    },
  };
}

function lineOf(line: (offset: number) => number, node: Node | null | undefined): number {
  const offset = node?.range?.[0];
  return offset === undefined ? 1 : line(offset);
}

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function itemNodes(doc: Document, node: Node | null): readonly Node[] {
  const map = deref(doc, node);
  if (!isMap(map)) return [];
  const seq = deref(doc, map.items.find((p) => isScalar(p.key) && p.key.value === 'items')?.value);
  return isSeq(seq) ? (seq.items as Node[]) : [];
}

/** The line of the field at `path` below `node`: the deepest part of the path present in the source. */
function locate(doc: Document, line: (offset: number) => number, node: Node | null, path: Path): number {
  let found = lineOf(line, node);
  let current: unknown = node;
  for (const seg of path) {
    current = deref(doc, current);
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      found = lineOf(line, pair.key as Node);
      current = pair.value;
    } else if (isSeq(current) && typeof seg === 'number') {
      const item = current.items[seg];
      if (!item) break;
      found = lineOf(line, item as Node);
      current = item;
    } else break;
  }
  return found;
}
