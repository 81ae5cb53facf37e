/**
 * Collection schemas: lists (size bounds, list-map keys, sets, list rules) and maps with free keys.
 *
 * Owns: walking each item or entry, and the uniqueness rules the CRDs declare with x-kubernetes-list-type. A null
 * item or map value is an error (only object fields may be null, meaning absent).
 */
import type { Path, Report } from './issues.ts';
import { describeValue, isRecord, str } from './scalars.ts';
import { checkKey, type Rule, type Schema } from './schema.ts';

export interface MapOptions {
  readonly max?: number;
  /** Checks a key: returns what is wrong, or undefined. */
  readonly key?: (k: string) => string | undefined;
  readonly value?: Schema;
}

/** A map with free keys (additionalProperties), string values unless said otherwise. */
export function map(opts: MapOptions = {}): Schema {
  const valueSchema = opts.value ?? str();
  return {
    check(value, at, report) {
      if (!isRecord(value)) {
        report.add(at, 'type', `must be a map, not ${describeValue(value)}`);
        return value;
      }
      const keys = Object.keys(value);
      if (opts.max !== undefined && keys.length > opts.max) {
        report.add(at, 'count', `must have at most ${opts.max} entries (has ${keys.length})`);
      }
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        const problem = opts.key?.(k);
        if (problem) report.add([...at, k], 'value', `key ${JSON.stringify(k)} ${problem}`);
        const v = value[k];
        if (v === null || v === undefined) report.add([...at, k], 'type', 'must not be null');
        else out[k] = checkKey(valueSchema, v, at, k, report);
      }
      return out;
    },
  };
}

export interface ListOptions<T> {
  readonly min?: number;
  readonly max?: number;
  /** x-kubernetes-list-type: map — items are unique by this key; `label` names it in messages. */
  readonly uniqueBy?: { readonly key: string; readonly label: string };
  /** x-kubernetes-list-type: set — items are unique. */
  readonly set?: boolean;
  readonly rules?: readonly Rule<readonly T[]>[];
}

export function list<T = unknown>(item: Schema, opts: ListOptions<T> = {}): Schema {
  const rules = opts.rules;
  return {
    check(value, at, report) {
      if (!Array.isArray(value)) {
        report.add(at, 'type', `must be a list, not ${describeValue(value)}`);
        return value;
      }
      countProblem(value.length, at, report, opts);
      const before = report.size;
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (v !== null) out[i] = checkKey(item, v, at, i, report);
        else {
          report.add([...at, i], 'type', 'must not be null');
          out[i] = v;
        }
      }
      if (opts.uniqueBy) uniqueByKey(out, at, report, opts.uniqueBy.key, opts.uniqueBy.label);
      if (opts.set) uniqueValues(out, at, report);
      if (report.size === before && rules)
        for (let i = 0; i < rules.length; i++) (rules[i] as Rule<T[]>)(out as T[], at, report);
      return out;
    },
  };
}

function countProblem(n: number, at: Path, report: Report, o: { readonly min?: number; readonly max?: number }): void {
  if (o.min !== undefined && n < o.min) {
    report.add(at, 'count', o.min === 1 ? 'must have at least one item' : `must have at least ${o.min} items`);
  }
  if (o.max !== undefined && n > o.max) report.add(at, 'count', `must have at most ${o.max} items (has ${n})`);
}

function uniqueByKey(items: readonly unknown[], at: Path, report: Report, key: string, label: string): void {
  if (items.length < 2) return;
  const seen = new Set<unknown>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isRecord(item) || item[key] === undefined) continue;
    if (seen.has(item[key]))
      report.add([...at, i, key], 'duplicate', `duplicate ${label} ${JSON.stringify(item[key])}`);
    seen.add(item[key]);
  }
}

function uniqueValues(items: readonly unknown[], at: Path, report: Report): void {
  if (items.length < 2) return;
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = JSON.stringify(item);
    if (seen.has(k)) report.add([...at, i], 'duplicate', `duplicate value ${k}`);
    seen.add(k);
  });
}
