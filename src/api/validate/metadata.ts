/**
 * ObjectMeta, leniently: the fields a manifest or an API server may carry are accepted, names are checked as the
 * API server checks them for the kind, labels and annotations must be well-formed.
 *
 * Owns: the metadata schema for each naming rule. Server-set fields (uid, resourceVersion, managedFields, ...) are
 * accepted as they are; anything else under metadata is an unknown field.
 */
import { labelProblem, labelValueProblem, qualifiedNameProblem } from './names.ts';
import { anything, int, map, obj, required, type Schema, str } from './schema.ts';

const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const labels = map({ key: qualifiedNameProblem, value: str({ test: labelValueProblem }) });

const annotationMap = map({ key: (k) => qualifiedNameProblem(k.toLowerCase()) });

const annotations: Schema = {
  check(value, at, report) {
    const out = annotationMap.check(value, at, report);
    if (typeof out === 'object' && out !== null) {
      let size = 0;
      for (const [k, v] of Object.entries(out)) size += k.length + (typeof v === 'string' ? v.length : 0);
      if (size > ANNOTATIONS_MAX_BYTES)
        report.add(at, 'value', `total size must be at most 256 KiB (is ${size} bytes)`);
    }
    return out;
  },
};

/** Metadata whose name follows `nameProblem` (RFC 1123 subdomain for most kinds). */
export function metadata(nameProblem: (s: string) => string | undefined): Schema {
  return obj({
    name: required(str({ test: nameProblem })),
    generateName: str(),
    namespace: str({ test: labelProblem }),
    labels,
    annotations,
    uid: str(),
    resourceVersion: str(),
    generation: int({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    creationTimestamp: anything,
    deletionTimestamp: anything,
    deletionGracePeriodSeconds: anything,
    selfLink: str(),
    managedFields: anything,
    ownerReferences: anything,
    finalizers: anything,
  });
}
