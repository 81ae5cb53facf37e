/**
 * Data maps of Secrets and ConfigMaps: key names, base64 values, and the 1 MiB size limit.
 *
 * Owns: the checks the API server makes on `data`, `binaryData` and `stringData`. Base64 is standard encoding with
 * padding; line breaks inside a value are ignored (as Go's decoder ignores them) and removed from the result.
 */
import { map, type Schema, str } from './schema.ts';

const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const MAX_DATA_BYTES = 1024 * 1024;

export function dataKeyProblem(k: string): string | undefined {
  if (k.length === 0 || k.length > 253) return 'must be 1 to 253 characters';
  if (!DATA_KEY.test(k)) return "must consist of letters, digits, '-', '_' or '.'";
  if (k === '.' || k === '..' || k.startsWith('..')) return "must not be '.' or '..' or start with '..'";
  return undefined;
}

export function isBase64(s: string): boolean {
  return BASE64.test(s);
}

const base64Values = map({
  key: dataKeyProblem,
  value: str({ test: (v) => (isBase64(v.replace(/[\r\n]/g, '')) ? undefined : 'must be base64 encoded') }),
});

/** Values in base64; the result has line breaks removed. */
export const base64Map: Schema = {
  check(value, at, report) {
    const checked = base64Values.check(value, at, report);
    if (typeof checked !== 'object' || checked === null) return checked;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(checked)) out[k] = typeof v === 'string' ? v.replace(/[\r\n]/g, '') : v;
    return out;
  },
};

export const stringMap: Schema = map({ key: dataKeyProblem });

/** Decoded size of a base64 value. */
export function base64Bytes(s: string): number {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - pad;
}
