/**
 * Secret (v1): data is base64, keys are valid, stringData is merged into data as the API server does on write,
 * kubernetes.io/tls Secrets carry tls.crt and tls.key, and the whole fits in 1 MiB.
 *
 * Owns: the Secret's top-level fields and the stringData merge (the decoded object has only `data`).
 */
import { base64Bytes, base64Map, MAX_DATA_BYTES, stringMap } from './data.ts';
import type { Path, Report } from './issues.ts';
import { bool, type Fields, type Rec, str, withDefault } from './schema.ts';

export const secretFields: Fields = {
  type: withDefault(str(), 'Opaque'),
  data: base64Map,
  stringData: stringMap,
  immutable: bool,
};

/** Merges stringData into data (base64) and checks what depends on the merged data. */
export function finishSecret(secret: Rec, at: Path, report: Report): Rec {
  const { stringData, ...rest } = secret;
  const data: Record<string, string> = { ...(rest.data as Record<string, string> | undefined) };
  for (const [k, v] of Object.entries((stringData ?? {}) as Rec)) {
    if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
  }
  let bytes = 0;
  for (const v of Object.values(data)) bytes += base64Bytes(v);
  if (bytes > MAX_DATA_BYTES)
    report.add([...at, 'data'], 'value', `total size must be at most 1 MiB (is ${bytes} bytes)`);
  if (rest.type === 'kubernetes.io/tls') {
    for (const key of ['tls.crt', 'tls.key']) {
      if (!(key in data))
        report.add([...at, 'data'], 'required', `a kubernetes.io/tls Secret must have data["${key}"]`);
    }
  }
  return stringData === undefined && rest.data === undefined ? rest : { ...rest, data };
}
