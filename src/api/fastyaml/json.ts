/**
 * The fast path for JSON manifests: JSON.parse, used only where the `yaml` package (which reads JSON as YAML) is
 * known to give the same value and no error.
 *
 * Owns: deciding that. JSON.parse keeps the last of duplicate keys where YAML rejects the file, so keys are counted:
 * in valid JSON every colon outside a string separates one key from its value, and a parsed object with fewer keys
 * than colons had a duplicate. Characters the YAML fast path does not take, deep nesting and over-long keys are left
 * to the `yaml` package too.
 */
import { hasUntaken } from './segments.ts';

export interface JsonDocument {
  readonly value: unknown;
  /** Offset of the root value. */
  readonly start: number;
}

const MAX_DEPTH = 64;
const MAX_KEY = 1000;

/** The document in `text` when it is a JSON object or array the fast path may take, else undefined. */
export function parseJson(text: string): JsonDocument | undefined {
  let start = 0;
  while (start < text.length && isJsonSpace(text.charCodeAt(start))) start++;
  const first = text.charCodeAt(start);
  if ((first !== 0x7b && first !== 0x5b) || hasUntaken(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const keys = countKeys(value, 0);
  return keys >= 0 && keys === countColons(text) ? { value, start } : undefined;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Keys in all objects of `value`, or -1 when it nests too deep or has a key too long. */
function countKeys(value: unknown, depth: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > MAX_DEPTH) return -1;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const k = countKeys(item, depth + 1);
      if (k < 0) return -1;
      n += k;
    }
    return n;
  }
  for (const key of Object.keys(value)) {
    if (key.length > MAX_KEY) return -1;
    const k = countKeys((value as Record<string, unknown>)[key], depth + 1);
    if (k < 0) return -1;
    n += k + 1;
  }
  return n;
}

/** Colons outside strings. */
function countColons(text: string): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x3a) n++;
  }
  return n;
}
