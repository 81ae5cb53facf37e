/**
 * What decoding hands back: objects with the place they came from, and configuration errors a person can act on.
 *
 * Owns: the result shapes and error codes shared by src/api/decode.ts and the decoding steps under src/api/decode/.
 */
import type { KubeObject } from '../types.ts';

export interface SourceRef {
  readonly file: string;
  /** 1-based line where the document (or List item) starts. */
  readonly line: number;
}

export interface ConfigError {
  readonly file: string;
  readonly line: number;
  /** The object, as "HTTPRoute default/foo". */
  readonly object?: string;
  /** The field, as "spec.rules[0].matches[0].path.value". */
  readonly path?: string;
  readonly message: string;
  readonly code: string;
  /** The object's store key ("Kind/namespace/name" or "Kind/name"), when the object could be identified. */
  readonly key?: string;
}

export interface DecodedObject {
  readonly object: KubeObject;
  readonly source: SourceRef;
}

export interface Decoded {
  objects: DecodedObject[];
  errors: ConfigError[];
}

export const YAML_ERROR = 'ARCHWAY_ERR_YAML';
export const INVALID_OBJECT = 'ARCHWAY_ERR_INVALID_OBJECT';
export const INTERNAL = 'ARCHWAY_ERR_VALIDATOR_INTERNAL';

/** Errors in file order (a stable sort: errors on one line keep the order they were found in). */
export function byLine(errors: ConfigError[]): ConfigError[] {
  return errors.sort((a, b) => a.line - b.line);
}
