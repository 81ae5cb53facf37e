/**
 * Decoding untrusted configuration: the one place YAML and JSON manifests become objects.
 *
 * Owns: parsing a file (multi-document YAML, or JSON through the same parser) with line numbers, expanding `List`
 * documents, requiring apiVersion/kind/metadata.name, and handing known kinds to validation (src/api/validate/),
 * which defaults them as the API server would. An invalid object is reported, not returned, as an API server would
 * reject it; kinds Archway does not know pass through untouched. A YAML syntax error fails the whole file (no
 * objects), so the caller can keep the file's last good state. Every error carries the file, the line of the
 * offending field and, where known, the object and field path.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { KubeObject } from './types.ts';
import { formatPath, type Issue, issueErrorCode, validateObject } from './validate/index.ts';
import type { Path } from './validate/issues.ts';
import { isRecord, type Rec } from './validate/schema.ts';

export interface SourceRef {
  readonly file: string;
  /** 1-based line where the document (or List item) starts. */
  readonly line: number;
}

export interface ConfigError {
  readonly file: string;
  readonly line: number;
  /** The object, as "HTTPRoute default/foo". */
  readonly object?: string;
  /** The field, as "spec.rules[0].matches[0].path.value". */
  readonly path?: string;
  readonly message: string;
  readonly code: string;
  /** The object's store key ("Kind/namespace/name" or "Kind/name"), when the object could be identified. */
  readonly key?: string;
}

export interface DecodedObject {
  readonly object: KubeObject;
  readonly source: SourceRef;
}

export const YAML_ERROR = 'ARCHWAY_ERR_YAML';
export const INVALID_OBJECT = 'ARCHWAY_ERR_INVALID_OBJECT';
export const INTERNAL = 'ARCHWAY_ERR_VALIDATOR_INTERNAL';

/** "file:line: HTTPRoute default/foo: spec.rules[0].matches[0].path.value: must start with '/'" */
export function formatConfigError(e: ConfigError): string {
  return [`${e.file}:${e.line}`, e.object, e.path, e.message].filter((part) => part).join(': ');
}

interface Ctx {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly objects: DecodedObject[];
  readonly errors: ConfigError[];
}

export function decodeFile(text: string, file: string): { objects: DecodedObject[]; errors: ConfigError[] } {
  const lines = new LineCounter();
  const parsed = parse(text, file, lines);
  if ('errors' in parsed) return { objects: [], errors: parsed.errors };
  const objects: DecodedObject[] = [];
  const errors: ConfigError[] = [];
  for (const [doc, value] of parsed.values) {
    if (value !== null && value !== undefined)
      decodeDocument({ file, doc, lines, objects, errors }, value, doc.contents, true);
  }
  return { objects, errors: errors.sort((a, b) => a.line - b.line) };
}

const MAX_SYNTAX_ERRORS = 50;

/** Every document with its plain value, or the file's syntax errors (including alias and depth limits). */
function parse(
  text: string,
  file: string,
  lines: LineCounter,
): { readonly values: readonly [Document, unknown][] } | { readonly errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const values: [Document, unknown][] = [];
  const fail = (offset: number, message: string) =>
    errors.push({ file, line: lines.linePos(offset).line, message, code: YAML_ERROR });
  try {
    const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, merge: true });
    for (const doc of docs) for (const err of doc.errors) fail(err.pos[0], err.message);
    for (const doc of errors.length === 0 ? docs : []) {
      if (doc.contents === null) continue;
      try {
        values.push([doc, doc.toJS({ maxAliasCount: 100 })]);
      } catch (err) {
        fail(doc.contents.range?.[0] ?? 0, err instanceof Error ? err.message : String(err));
      }
    }
  } catch (err) {
    fail(0, err instanceof Error ? err.message : String(err));
  }
  if (errors.length === 0) return { values };
  if (errors.length <= MAX_SYNTAX_ERRORS) return { errors };
  const shown = errors.slice(0, MAX_SYNTAX_ERRORS);
  const more = `${errors.length - MAX_SYNTAX_ERRORS} more YAML errors not shown`;
  return { errors: [...shown, { file, line: errors[MAX_SYNTAX_ERRORS]?.line ?? 1, message: more, code: YAML_ERROR }] };
}

function decodeDocument(ctx: Ctx, value: unknown, node: Node | null, allowList: boolean): void {
  const problem = shapeProblem(value, allowList);
  if (problem) {
    const path = formatPath(problem.path);
    const line = locate(ctx, node, problem.path);
    ctx.errors.push({
      file: ctx.file,
      line,
      ...(path ? { path } : {}),
      message: problem.message,
      code: INVALID_OBJECT,
    });
    return;
  }
  const doc = value as KubeObject;
  if (!isList(doc)) {
    accept(ctx, doc, node);
    return;
  }
  const items = itemNodes(ctx, node);
  (doc.items as readonly unknown[]).forEach((item, i) => {
    if (item !== null && item !== undefined) decodeDocument(ctx, item, items[i] ?? node, false);
  });
}

function isList(doc: Rec): boolean {
  const kind = String(doc.kind);
  return kind === 'List' || (kind.endsWith('List') && Array.isArray(doc.items));
}

/** What makes `value` not a manifest (an object with apiVersion, kind and metadata.name; or a List), if anything. */
function shapeProblem(
  value: unknown,
  allowList: boolean,
): { readonly path: Path; readonly message: string } | undefined {
  if (!isRecord(value)) {
    return { path: [], message: `a manifest must be an object, not ${Array.isArray(value) ? 'a list' : typeof value}` };
  }
  for (const field of ['apiVersion', 'kind']) {
    const v = value[field];
    if (typeof v !== 'string' || v === '') {
      return { path: [field], message: v === undefined ? 'required field is missing' : 'must be a non-empty string' };
    }
  }
  if (isList(value)) return allowList ? undefined : { path: ['kind'], message: 'a List must not contain another List' };
  if (value.kind === 'List') return { path: ['items'], message: 'a List must have a list of items' };
  const meta = value.metadata;
  if (isRecord(meta) && typeof meta.name === 'string' && meta.name !== '') return undefined;
  const missing = !isRecord(meta) || meta.name === undefined;
  return { path: ['metadata', 'name'], message: missing ? 'required field is missing' : 'must be a non-empty string' };
}

function accept(ctx: Ctx, raw: KubeObject, node: Node | null): void {
  const line = lineOf(ctx, node);
  let validated: ReturnType<typeof validateObject>;
  try {
    validated = validateObject(raw);
  } catch (err) {
    // A validator bug must not take the rest of the configuration down with it.
    const message = `internal error while validating: ${err instanceof Error ? err.message : String(err)}`;
    ctx.errors.push({ file: ctx.file, line, object: `${raw.kind} ${raw.metadata.name}`, message, code: INTERNAL });
    return;
  }
  if (!validated) {
    ctx.objects.push({ object: raw, source: { file: ctx.file, line } });
    return;
  }
  const { object, issues } = validated;
  if (issues.length === 0) {
    ctx.objects.push({ object, source: { file: ctx.file, line } });
    return;
  }
  const ns = object.metadata.namespace;
  const name = ns ? `${ns}/${object.metadata.name}` : object.metadata.name;
  const key = ns ? `${object.kind}/${ns}/${object.metadata.name}` : `${object.kind}/${object.metadata.name}`;
  for (const issue of issues) ctx.errors.push(issueError(ctx, issue, node, `${object.kind} ${name}`, key));
}

function issueError(ctx: Ctx, issue: Issue, node: Node | null, object: string, key: string): ConfigError {
  const line = locate(ctx, node, issue.path);
  const path = formatPath(issue.path);
  return {
    file: ctx.file,
    line,
    object,
    ...(path ? { path } : {}),
    message: issue.message,
    code: issueErrorCode(issue.code),
    key,
  };
}

// ------------------------------------------------------------------------------------------------ positions

function lineOf(ctx: Ctx, node: Node | null | undefined): number {
  const offset = node?.range?.[0];
  return offset === undefined ? 1 : ctx.lines.linePos(offset).line;
}

function deref(ctx: Ctx, node: unknown): unknown {
  return isAlias(node) ? node.resolve(ctx.doc) : node;
}

function itemNodes(ctx: Ctx, node: Node | null): readonly Node[] {
  const map = deref(ctx, node);
  if (!isMap(map)) return [];
  const seq = deref(ctx, map.items.find((p) => isScalar(p.key) && p.key.value === 'items')?.value);
  return isSeq(seq) ? (seq.items as Node[]) : [];
}

/** The line of the field at `path` below `node`: the deepest part of the path present in the source. */
function locate(ctx: Ctx, node: Node | null, path: Path): number {
  let line = lineOf(ctx, node);
  let current: unknown = node;
  for (const seg of path) {
    current = deref(ctx, current);
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      line = lineOf(ctx, pair.key as Node);
      current = pair.value;
    } else if (isSeq(current) && typeof seg === 'number') {
      const item = current.items[seg];
      if (!item) break;
      line = lineOf(ctx, item as Node);
      current = item;
    } else break;
  }
  return line;
}
