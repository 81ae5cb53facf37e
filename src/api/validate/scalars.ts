/**
 * Scalar schemas: strings (length, enum, pattern, custom test), integers (range, enum), booleans, int-or-string,
 * and values kept as they are.
 *
 * Owns: the type and value checks of single values, each reporting one message a person can act on.
 */
import type { Rec, Schema } from './schema.ts';

export function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(v) ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof v;
  }
}

export interface StringOptions {
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  readonly pattern?: RegExp;
  /** What a value failing `pattern` must be, for a person ("must be a valid hostname ..."). */
  readonly message?: string;
  /** Further checks: returns what is wrong, or undefined. */
  readonly test?: (s: string) => string | undefined;
}

export function str(opts: StringOptions = {}): Schema {
  return {
    check(value, at, report) {
      if (typeof value !== 'string') {
        report.add(at, 'type', `must be a string, not ${describeValue(value)}`);
        return value;
      }
      const problem = stringProblem(value, opts);
      if (problem) report.add(at, 'value', problem);
      return value;
    },
  };
}

function stringProblem(s: string, o: StringOptions): string | undefined {
  if (o.min !== undefined && s.length < o.min)
    return o.min === 1 ? 'must not be empty' : `must be at least ${o.min} characters`;
  if (o.max !== undefined && s.length > o.max) return `must be at most ${o.max} characters (is ${s.length})`;
  if (o.enum && !o.enum.includes(s))
    return `unsupported value ${JSON.stringify(s)}: must be one of ${o.enum.join(', ')}`;
  if (o.pattern && !o.pattern.test(s)) return o.message ?? `must match ${o.pattern.source}`;
  return o.test?.(s);
}

export interface IntOptions {
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly number[];
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

export function int(opts: IntOptions = {}): Schema {
  const min = opts.min ?? INT32.min;
  const max = opts.max ?? INT32.max;
  return {
    check(value, at, report) {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        report.add(at, 'type', `must be an integer, not ${describeValue(value)}`);
      } else if (opts.enum && !opts.enum.includes(value)) {
        report.add(at, 'value', `unsupported value ${value}: must be one of ${opts.enum.join(', ')}`);
      } else if (value < min || value > max) {
        report.add(at, 'value', rangeMessage(value, opts));
      }
      return value;
    },
  };
}

function rangeMessage(value: number, o: IntOptions): string {
  if (o.min !== undefined && o.max !== undefined) return `${value} must be between ${o.min} and ${o.max}`;
  if (o.min !== undefined) return `${value} must be at least ${o.min}`;
  if (o.max !== undefined) return `${value} must be at most ${o.max}`;
  return `${value} must fit in 32 bits`;
}

export const bool: Schema = {
  check(value, at, report) {
    if (typeof value !== 'boolean') report.add(at, 'type', `must be true or false, not ${describeValue(value)}`);
    return value;
  },
};

/** Anything at all (x-kubernetes-preserve-unknown-fields, or parts Archway does not read). */
export const anything: Schema = { check: (value) => value };

/** An integer or a string (x-kubernetes-int-or-string). */
export function intOrString(asInt: Schema, asString: Schema): Schema {
  return {
    check(value, at, report) {
      if (typeof value === 'number') return asInt.check(value, at, report);
      if (typeof value === 'string') return asString.check(value, at, report);
      report.add(at, 'type', `must be an integer or a string, not ${describeValue(value)}`);
      return value;
    },
  };
}
