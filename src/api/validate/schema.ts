/**
 * The small vocabulary the per-kind validators are written in: typed values, objects with known fields, lists,
 * string maps, API-server defaults and cross-field rules (the CRDs' x-kubernetes-validations).
 *
 * Owns: walking one untrusted value against a schema, reporting every problem with its path, and returning a new,
 * defaulted value. As the API server does, a null field counts as absent (and receives its default), a field the
 * schema does not name is an error, and an object's rules run only when its own fields are valid.
 */
import type { Path, Report } from './issues.ts';
import { describeValue, isRecord } from './scalars.ts';

export { type ListOptions, list, type MapOptions, map } from './collections.ts';
export { anything, bool, type IntOptions, int, intOrString, isRecord, type StringOptions, str } from './scalars.ts';

export type Rec = Readonly<Record<string, unknown>>;

export interface Schema {
  /** Checks a present (non-null) value at `at` and returns its defaulted copy (the value as given where invalid). */
  readonly check: (value: unknown, at: Path, report: Report) => unknown;
}

/** A cross-field rule, run on the defaulted value once its fields are valid. */
export type Rule<T> = (self: T, at: Path, report: Report) => void;

export interface Field {
  readonly schema: Schema;
  readonly required?: boolean;
  readonly default?: unknown;
}
export type Fields = Readonly<Record<string, Schema | Field>>;

export const required = (schema: Schema): Field => ({ schema, required: true });
export const withDefault = (schema: Schema, value: unknown): Field => ({ schema, default: value });

/** A rule that reports `message` at `at` + `sub` when `ok` is false. */
export function rule<T>(message: string, ok: (self: T) => boolean, sub: Path = []): Rule<T> {
  return (self, at, report) => {
    if (!ok(self)) report.add([...at, ...sub], 'rule', message);
  };
}

/**
 * An object with these fields. A field the schema does not name is an error, unless `open` (then it is kept as
 * given: core kinds, whose schemas Archway checks only in part).
 */
export function obj<T = Rec>(fields: Fields, rules: readonly Rule<T>[] = [], open = false): Schema {
  const entries = Object.entries(fields).map(([key, f]): [string, Field] => [key, 'check' in f ? { schema: f } : f]);
  const known = new Map(entries.map(([key]) => [key.toLowerCase(), key]));
  return {
    check(value, at, report) {
      if (!isRecord(value)) {
        report.add(at, 'type', `must be an object, not ${describeValue(value)}`);
        return value;
      }
      const before = report.size;
      const out: Record<string, unknown> = {};
      for (const [key, field] of entries) {
        let v = value[key];
        if (v === undefined || v === null) {
          if (field.default === undefined) {
            if (field.required) report.add([...at, key], 'required', 'required field is missing');
            continue;
          }
          v = structuredClone(field.default);
        }
        out[key] = field.schema.check(v, [...at, key], report);
      }
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(fields, key)) continue;
        if (open) {
          out[key] = value[key];
          continue;
        }
        const near = known.get(key.toLowerCase());
        report.add([...at, key], 'unknown-field', near ? `unknown field (did you mean "${near}"?)` : 'unknown field');
      }
      if (report.size === before) for (const r of rules) r(out as T, at, report);
      return out;
    },
  };
}

/**
 * The discriminated-union rules of filters and similar: the field named for `type` must be set, and the fields
 * named for other types must not be.
 */
export function unionByType(fieldByType: Readonly<Record<string, string>>): Rule<Rec> {
  return (self, at, report) => {
    for (const [type, field] of Object.entries(fieldByType)) {
      const has = self[field] !== undefined;
      if (has && self.type !== type)
        report.add([...at, field], 'rule', `must not be set when type is ${String(self.type)}`);
      if (!has && self.type === type) report.add([...at, field], 'required', `required when type is ${type}`);
    }
  };
}
