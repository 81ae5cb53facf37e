/**
 * ConfigMap (v1): string data and base64 binaryData with valid, non-overlapping keys, 1 MiB in all.
 *
 * Owns: the ConfigMap's top-level fields and their cross-checks.
 */
import { base64Bytes, base64Map, MAX_DATA_BYTES, stringMap } from './data.ts';
import type { Path, Report } from './issues.ts';
import { bool, type Fields, type Rec } from './schema.ts';

export const configMapFields: Fields = { data: stringMap, binaryData: base64Map, immutable: bool };

export function finishConfigMap(cm: Rec, at: Path, report: Report): Rec {
  const data = (cm.data ?? {}) as Rec;
  const binary = (cm.binaryData ?? {}) as Rec;
  let bytes = 0;
  for (const [k, v] of Object.entries(data)) {
    if (k in binary) report.add([...at, 'binaryData', k], 'duplicate', `key ${JSON.stringify(k)} is also in data`);
    if (typeof v === 'string') bytes += Buffer.byteLength(v, 'utf8');
  }
  for (const v of Object.values(binary)) if (typeof v === 'string') bytes += base64Bytes(v);
  if (bytes > MAX_DATA_BYTES)
    report.add(at, 'value', `data and binaryData must be at most 1 MiB in all (is ${bytes} bytes)`);
  return cm;
}
