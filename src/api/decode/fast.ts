/**
 * The fast path of decoding: each document is read by the fast YAML reader (src/api/fastyaml/) or, for a JSON
 * file, by JSON.parse, and the `yaml` package reads only what they leave: a document outside the fast subset, and a
 * document with an error to locate. The result is the one src/api/decode/located.ts gives for the whole file.
 *
 * Owns: the split of work between the two. A stream with directives, or a parser that throws, makes the whole file
 * go to the `yaml` package (undefined).
 */
import { type JsonDocument, parseJson } from '../fastyaml/json.ts';
import { type FastDocument, parseDocument } from '../fastyaml/parser.ts';
import { Lines, type Segment, segments } from '../fastyaml/segments.ts';
import { capped, decodeParsed, type ParsedYaml, parseAlone } from './located.ts';
import { byLine, type Decoded } from './model.ts';
import { decodeDocument, RELOCATE, Relocate, type Sink, type Where } from './objects.ts';

/** The decoded file, or undefined when it must be read by the `yaml` package as a whole. */
export function decodeFast(text: string, file: string): Decoded | undefined {
  const json = parseJson(text);
  const segs = json ? [{ start: 0, body: 0, end: text.length, fast: true }] : segments(text);
  if (!segs) return undefined;
  const lines = new Lines(text);
  const sink: Sink = { file, objects: [], errors: [] };
  // One document at a time, so that each document's plain value is garbage before the next is read.
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as Segment;
    const read = json ?? readFast(text, seg);
    if (read && (read.value === null || read.value === undefined)) continue;
    if (read && decodeOne(sink, read, lines)) continue;
    const parsed = parseAlone(text, seg.start, seg.end, lines.at(seg.start), file);
    if (parsed.syntax.length > 0 || parsed.conversion.length > 0)
      return failed(text, file, segs.slice(i + 1), parsed, lines);
    decodeParsed(sink, parsed);
  }
  return { objects: sink.objects, errors: byLine(sink.errors) };
}

/**
 * A file with errors reports them all and no object. Only documents the fast reader leaves to the `yaml` package can
 * have errors (it reads nothing the `yaml` package rejects), so the rest of the file is read fast and only those are
 * read again, on their own, as when the whole file is read: syntax errors, and conversion errors only where there is
 * no syntax error in the whole file. A document's errors are its own unless one is on its last line (an unclosed
 * quote or bracket may run into the next document when the whole file is read) or the `yaml` package lost count of
 * its lines (then it gives later documents other lines): in those cases the whole file is read.
 */
function failed(
  text: string,
  file: string,
  rest: readonly Segment[],
  first: ParsedYaml,
  lines: Lines,
): Decoded | undefined {
  if (!local(first)) return undefined;
  const syntax = [...first.syntax];
  const conversion = [...first.conversion];
  for (const seg of rest) {
    if (readFast(text, seg)) continue;
    const parsed = parseAlone(text, seg.start, seg.end, lines.at(seg.start), file);
    if (!local(parsed)) return undefined;
    syntax.push(...parsed.syntax);
    conversion.push(...parsed.conversion);
  }
  return { objects: [], errors: capped(syntax.length > 0 ? syntax : conversion, file) };
}

/** Whether a document read alone has the errors it has in its file, with the same lines (see failed). */
function local(parsed: ParsedYaml): boolean {
  return !parsed.threw && parsed.linesCounted && parsed.syntax.every((e) => e.line < parsed.lastLine);
}

function readFast(text: string, seg: Segment): FastDocument | undefined {
  if (!seg.fast) return undefined;
  try {
    return parseDocument(text, seg.body, seg.end);
  } catch {
    // Unsupported, or a bug in the fast reader: either way the yaml package reads the document.
    return undefined;
  }
}

/** Decodes a document read by a fast path; false (and nothing added) when an error in it must be located. */
function decodeOne(sink: Sink, read: FastDocument | JsonDocument, lines: Lines): boolean {
  const objects = sink.objects.length;
  const errors = sink.errors.length;
  try {
    const itemStarts = 'itemStarts' in read ? read.itemStarts : undefined;
    decodeDocument(sink, read.value, fastWhere(lines, read.start, itemStarts), true);
    return true;
  } catch (err) {
    if (!(err instanceof Relocate)) throw err;
    sink.objects.length = objects;
    sink.errors.length = errors;
    return false;
  }
}

function fastWhere(lines: Lines, offset: number, itemStarts?: readonly number[]): Where {
  return {
    line: () => lines.at(offset),
    locate() {
      throw RELOCATE;
    },
    item(i) {
      const at = itemStarts?.[i];
      if (at === undefined) throw RELOCATE;
      return fastWhere(lines, at);
    },
  };
}
