/**
 * The small vocabulary the per-kind validators are written in: typed values, objects with known fields, lists,
 * string maps, API-server defaults and cross-field rules (the CRDs' x-kubernetes-validations).
 *
 * Owns: walking one untrusted value against a schema, reporting every problem with its path, and returning a new,
 * defaulted value. As the API server does, a null field counts as absent (and receives its default), a field the
 * schema does not name is an error, and an object's rules run only when its own fields are valid.
 */
import { type Path, type Report, type Seg, withKey } from './issues.ts';
import { describeValue, isRecord } from './scalars.ts';

export { type ListOptions, list, type MapOptions, map } from './collections.ts';
export { anything, bool, type IntOptions, int, intOrString, isRecord, type StringOptions, str } from './scalars.ts';

export type Rec = Readonly<Record<string, unknown>>;

export interface Schema {
  /** Checks a present (non-null) value at `at` and returns its defaulted copy (the value as given where invalid). */
  readonly check: (value: unknown, at: Path, report: Report) => unknown;
}

/** Checks `value` at `at` + `key`; the path is built only when the report wants paths. */
export function checkKey(schema: Schema, value: unknown, at: Path, key: Seg, report: Report): unknown {
  return schema.check(value, report.paths ? withKey(at, key) : at, report);
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
  // Parallel arrays walked by index: this runs for every object of every document, mostly before the JIT has
  // optimized it, where iterators and destructuring allocate.
  const names = Object.keys(fields);
  const specs = names.map((key): Field => {
    const f = fields[key] as Schema | Field;
    return 'check' in f ? { schema: f } : f;
  });
  const known = new Map(names.map((key) => [key.toLowerCase(), key]));
  return {
    check(value, at, report) {
      if (!isRecord(value)) {
        report.add(at, 'type', `must be an object, not ${describeValue(value)}`);
        return value;
      }
      const before = report.size;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) {
        const key = names[i] as string;
        const field = specs[i] as Field;
        let v = value[key];
        if (v === undefined || v === null) {
          if (field.default === undefined) {
            if (field.required) report.add(withKey(at, key), 'required', 'required field is missing');
            continue;
          }
          v = copyDefault(field.default);
        }
        out[key] = checkKey(field.schema, v, at, key, report);
      }
      // for-in with an own-property test visits what Object.keys() lists, in its order, without an array.
      for (const key in value) {
        if (!Object.hasOwn(value, key) || Object.hasOwn(fields, key)) continue;
        if (open) {
          out[key] = value[key];
          continue;
        }
        const near = known.get(key.toLowerCase());
        report.add(
          withKey(at, key),
          'unknown-field',
          near ? `unknown field (did you mean "${near}"?)` : 'unknown field',
        );
      }
      if (report.size === before) for (let i = 0; i < rules.length; i++) (rules[i] as Rule<T>)(out as T, at, report);
      return out;
    },
  };
}

/** A default as a fresh value: objects are copied, so that no two results share one. */
function copyDefault(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
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
