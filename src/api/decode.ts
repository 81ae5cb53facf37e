/**
 * Decoding untrusted configuration: the one place YAML and JSON manifests become objects.
 *
 * Owns: the entry point. A file (multi-document YAML, or JSON) becomes objects with the line they start on; `List`
 * documents are expanded; apiVersion, kind and metadata.name are required; known kinds are validated and defaulted
 * (src/api/validate/) as the API server would. An invalid object is reported, not returned, as an API server would
 * reject it; kinds Archway does not know pass through untouched. A YAML syntax error fails the whole file (no
 * objects), so the caller can keep the file's last good state. Every error carries the file, the line of the
 * offending field and, where known, the object and field path.
 *
 * The `yaml` package is the authority on what a file means (src/api/decode/located.ts), but its parser reads about
 * 1 MB/s; a fast reader takes the plain YAML and JSON that manifests are made of and gives the same values
 * (src/api/decode/fast.ts), and leaves every other document, and every error, to the `yaml` package.
 *
 * Decoded objects live as long as they are configured, so their strings are made compact before they are returned:
 * a value read from a file may be a slice that keeps the whole file text alive, and the same words (apiVersion, kind,
 * path types, hostnames) repeat in every object. Each string value is replaced by its one shared, flat copy (V8's
 * string table: src/lib/intern.ts).
 */
import { intern } from '../lib/intern.ts';
import { decodeFast } from './decode/fast.ts';
import { decodeWithYaml } from './decode/located.ts';
import type { ConfigError, DecodedObject } from './decode/model.ts';

export {
  type ConfigError,
  type DecodedObject,
  INTERNAL,
  INVALID_OBJECT,
  type SourceRef,
  YAML_ERROR,
} from './decode/model.ts';

/** "file:line: HTTPRoute default/foo: spec.rules[0].matches[0].path.value: must start with '/'" */
export function formatConfigError(e: ConfigError): string {
  return [`${e.file}:${e.line}`, e.object, e.path, e.message].filter((part) => part).join(': ');
}

export function decodeFile(text: string, file: string): { objects: DecodedObject[]; errors: ConfigError[] } {
  const decoded = decodeFast(text, file) ?? decodeWithYaml(text, file);
  for (const { object } of decoded.objects) compactStrings(object, 0);
  return decoded;
}

/** Depth bound of compactStrings (decoded objects are far shallower: src/api/fastyaml limits nesting). */
const MAX_DEPTH = 64;

/** Replaces every string value below `value` (a decoded, not yet shared plain object or array) by intern(). */
function compactStrings(value: object, depth: number): void {
  if (depth > MAX_DEPTH || Object.isFrozen(value)) return; // a frozen value is shared (a default): left as it is
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'string') value[i] = intern(v);
      else if (v !== null && typeof v === 'object') compactStrings(v, depth + 1);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const v = record[key];
    if (typeof v === 'string') record[key] = intern(v);
    else if (v !== null && typeof v === 'object') compactStrings(v, depth + 1);
  }
}
