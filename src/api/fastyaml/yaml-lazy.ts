/**
 * The `yaml` package, loaded on first use: the fast reader (parser.ts) decodes ordinary configs without it, and only a
 * document it cannot read with certainty (and every error report) goes to the package. A process whose config is
 * all in the fast subset therefore never loads it (megabytes of memory and tens of milliseconds at start). Loading is
 * synchronous (the package's CommonJS build through createRequire), so callers keep their synchronous API; the names
 * exported here behave as the package's own.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | null = null;

function yaml(): typeof Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return loaded;
}

/** Whether the package has been loaded (tests). */
export function yamlLoaded(): boolean {
  return loaded !== null;
}

export type { Document, Node } from 'yaml';
export type LineCounter = Yaml.LineCounter;

/** `new LineCounter()` constructs the package's own LineCounter. */
export const LineCounter = function LineCounter(): Yaml.LineCounter {
  return new (yaml().LineCounter)();
} as unknown as typeof Yaml.LineCounter;

export const parseAllDocuments: typeof Yaml.parseAllDocuments = (...args) => yaml().parseAllDocuments(...args);
export const isAlias: typeof Yaml.isAlias = (node) => yaml().isAlias(node);
export const isMap: typeof Yaml.isMap = <K, V>(node: unknown): node is Yaml.YAMLMap<K, V> => yaml().isMap<K, V>(node);
export const isScalar: typeof Yaml.isScalar = <T>(node: unknown): node is Yaml.Scalar<T> => yaml().isScalar<T>(node);
export const isSeq: typeof Yaml.isSeq = <T>(node: unknown): node is Yaml.YAMLSeq<T> => yaml().isSeq<T>(node);
