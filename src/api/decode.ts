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
 */
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
  return decodeFast(text, file) ?? decodeWithYaml(text, file);
}
