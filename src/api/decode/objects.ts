/**
 * From a document's plain value to objects or errors: `List` expansion, the manifest shape (apiVersion, kind,
 * metadata.name), and validation of known kinds (src/api/validate/), which defaults them as the API server would.
 *
 * Owns: what becomes an object and what becomes an error, whichever parser read the document. Where a field is in
 * the source is asked of a Where: the `yaml` package's nodes know every line; the fast path knows only where
 * documents and List items start, and throws Relocate when asked for more, so that the document is read again by
 * the `yaml` package (an error is reported only with the line of its field).
 */
import type { KubeObject } from '../types.ts';
import { formatPath, type Issue, issueErrorCode, validateObject } from '../validate/index.ts';
import type { Path } from '../validate/issues.ts';
import { isRecord, type Rec } from '../validate/schema.ts';
import { type ConfigError, type Decoded, INTERNAL, INVALID_OBJECT } from './model.ts';

/** Where a node is in the source. */
export interface Where {
  /** The node's line. */
  line(): number;
  /** The line of the field at `path` below the node: the deepest part of the path present in the source. */
  locate(path: Path): number;
  /** Where List item `i` is (the List itself when the item has no node). */
  item(i: number): Where;
}

/** Thrown by a Where that cannot locate a field: the document must be read again with positions. */
export class Relocate extends Error {}

export const RELOCATE = new Relocate('the document must be read again with positions');

export interface Sink extends Decoded {
  readonly file: string;
}

/** Decodes one document (or, when `allowList`, a List of them) into `sink`. */
export function decodeDocument(sink: Sink, value: unknown, where: Where, allowList: boolean): void {
  const problem = shapeProblem(value, allowList);
  if (problem) {
    const path = formatPath(problem.path);
    const line = where.locate(problem.path);
    sink.errors.push({
      file: sink.file,
      line,
      ...(path ? { path } : {}),
      message: problem.message,
      code: INVALID_OBJECT,
    });
    return;
  }
  const doc = value as KubeObject;
  if (!isList(doc)) {
    accept(sink, doc, where);
    return;
  }
  (doc.items as readonly unknown[]).forEach((item, i) => {
    if (item !== null && item !== undefined) decodeDocument(sink, item, where.item(i), false);
  });
}

function isList(doc: Rec): boolean {
  const kind = String(doc.kind);
  return kind === 'List' || (kind.endsWith('List') && Array.isArray(doc.items));
}

const REQUIRED = ['apiVersion', 'kind'];

/** What makes `value` not a manifest (an object with apiVersion, kind and metadata.name; or a List), if anything. */
function shapeProblem(
  value: unknown,
  allowList: boolean,
): { readonly path: Path; readonly message: string } | undefined {
  if (!isRecord(value)) {
    return { path: [], message: `a manifest must be an object, not ${Array.isArray(value) ? 'a list' : typeof value}` };
  }
  for (let i = 0; i < REQUIRED.length; i++) {
    const field = REQUIRED[i] as string;
    const v = value[field];
    if (typeof v !== 'string' || v === '') {
      return { path: [field], message: v === undefined ? 'required field is missing' : 'must be a non-empty string' };
    }
  }
  if (value.kind === 'List' && !Array.isArray(value.items)) {
    return { path: ['items'], message: 'a List must have a list of items' };
  }
  if (isList(value)) return allowList ? undefined : { path: ['kind'], message: 'a List must not contain another List' };
  const meta = value.metadata;
  if (isRecord(meta) && typeof meta.name === 'string' && meta.name !== '') return undefined;
  const missing = !isRecord(meta) || meta.name === undefined;
  return { path: ['metadata', 'name'], message: missing ? 'required field is missing' : 'must be a non-empty string' };
}

function accept(sink: Sink, raw: KubeObject, where: Where): void {
  const line = where.line();
  let validated: ReturnType<typeof validateObject>;
  try {
    validated = validateObject(raw);
  } catch (err) {
    // A validator bug must not take the rest of the configuration down with it.
    const message = `internal error while validating: ${err instanceof Error ? err.message : String(err)}`;
    sink.errors.push({ file: sink.file, line, object: `${raw.kind} ${raw.metadata.name}`, message, code: INTERNAL });
    return;
  }
  if (!validated) {
    sink.objects.push({ object: raw, source: { file: sink.file, line } });
    return;
  }
  const { object, issues } = validated;
  if (issues.length === 0) {
    sink.objects.push({ object, source: { file: sink.file, line } });
    return;
  }
  const ns = object.metadata.namespace;
  const name = ns ? `${ns}/${object.metadata.name}` : object.metadata.name;
  const key = ns ? `${object.kind}/${ns}/${object.metadata.name}` : `${object.kind}/${object.metadata.name}`;
  for (const issue of issues) sink.errors.push(issueError(sink, issue, where, `${object.kind} ${name}`, key));
}

function issueError(sink: Sink, issue: Issue, where: Where, object: string, key: string): ConfigError {
  const line = where.locate(issue.path);
  const path = formatPath(issue.path);
  return {
    file: sink.file,
    line,
    object,
    ...(path ? { path } : {}),
    message: issue.message,
    code: issueErrorCode(issue.code),
    key,
  };
}
