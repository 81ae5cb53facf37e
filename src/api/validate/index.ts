/**
 * Validation entry point: checks one decoded document of a known kind as the API server would, and returns the
 * defaulted object with every issue found.
 *
 * Owns: applying a kind's rule (kinds.ts) to a whole object: served version, metadata, top-level fields, the
 * kind's completion step, and namespace scope (namespaced kinds default to "default"; cluster-scoped kinds drop a
 * namespace, as the API server does). `status` is never validated.
 */
import type { KubeObject } from '../types.ts';
import { type Issue, Report } from './issues.ts';
import { type KindRule, kindRule, versionOf } from './kinds.ts';
import { metadata } from './metadata.ts';
import { anything, isRecord, obj, type Rec, required, type Schema, str } from './schema.ts';

export interface Validated {
  readonly object: KubeObject;
  readonly issues: readonly Issue[];
}

export { formatPath, type Issue, type IssueCode, issueErrorCode } from './issues.ts';

const schemas = new WeakMap<KindRule, Schema>();

function schemaOf(rule: KindRule): Schema {
  let s = schemas.get(rule);
  if (!s) {
    s = obj({
      apiVersion: required(str()),
      kind: required(str()),
      metadata: required(metadata(rule.nameProblem)),
      status: anything,
      ...rule.fields,
    });
    schemas.set(rule, s);
  }
  return s;
}

/** True if Archway validates this kind (others pass through untouched). */
export function isValidatedKind(apiVersion: string, kind: string): boolean {
  return kindRule(apiVersion, kind) !== undefined;
}

/**
 * Validates `raw` (a document with string apiVersion and kind, and metadata.name) and returns the defaulted object,
 * or undefined when the kind is not one Archway validates. The input is not modified.
 */
export function validateObject(
  raw: Rec & { readonly apiVersion: string; readonly kind: string },
): Validated | undefined {
  if (typeof raw.apiVersion !== 'string' || typeof raw.kind !== 'string') return undefined;
  const rule = kindRule(raw.apiVersion, raw.kind);
  if (!rule) return undefined;
  // Most objects are valid: a first walk builds no paths, and only an object with issues is walked again for them.
  const quick = new Report(false);
  let out = walk(rule, raw, quick);
  let report = quick;
  if (quick.size > 0) {
    report = new Report();
    out = walk(rule, raw, report);
  }
  return { object: withScope(out, rule.namespaced) as KubeObject, issues: report.issues };
}

function walk(rule: KindRule, raw: Rec & { readonly apiVersion: string; readonly kind: string }, report: Report): Rec {
  const version = versionOf(raw.apiVersion);
  if (rule.versions && !rule.versions.includes(version)) {
    const served = rule.versions.map((v) => (rule.group ? `${rule.group}/${v}` : v)).join(' or ');
    report.add(['apiVersion'], 'version', `${raw.kind} is not served as ${raw.apiVersion}; use ${served}`);
  }
  const out = schemaOf(rule).check(raw, [], report) as Rec;
  return report.size === 0 && rule.finish ? rule.finish(out, [], report) : out;
}

function withScope(object: Rec, namespaced: boolean): Rec {
  if (!isRecord(object.metadata)) return object;
  const present = object.metadata.namespace;
  // Most objects are already in scope: copy metadata only when it changes.
  if (namespaced ? present : present === undefined) return object;
  const { namespace, ...meta } = object.metadata;
  return namespaced ? { ...object, metadata: { ...meta, namespace: 'default' } } : { ...object, metadata: meta };
}
