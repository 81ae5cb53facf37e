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
  const report = new Report();
  const version = versionOf(raw.apiVersion);
  if (rule.versions && !rule.versions.includes(version)) {
    const served = rule.versions.map((v) => (rule.group ? `${rule.group}/${v}` : v)).join(' or ');
    report.add(['apiVersion'], 'version', `${raw.kind} is not served as ${raw.apiVersion}; use ${served}`);
  }
  let out = schemaOf(rule).check(raw, [], report) as Rec;
  if (report.size === 0 && rule.finish) out = rule.finish(out, [], report);
  return { object: withScope(out, rule.namespaced) as KubeObject, issues: report.issues };
}

function withScope(object: Rec, namespaced: boolean): Rec {
  if (!isRecord(object.metadata)) return object;
  const { namespace, ...meta } = object.metadata;
  if (!namespaced) return namespace === undefined ? object : { ...object, metadata: meta };
  return namespace ? object : { ...object, metadata: { ...meta, namespace: 'default' } };
}
