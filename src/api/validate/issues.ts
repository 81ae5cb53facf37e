/**
 * Validation findings: where in an object a value is wrong, and why.
 *
 * Owns: the Issue shape, the issue codes, the Report that collects issues while a schema walks an object, and how a
 * field path is written for a person ("spec.rules[0].matches[0].path.value", "metadata.labels[app.kubernetes.io/x]").
 */

export type Seg = string | number;
export type Path = readonly Seg[];

/** Every class of finding; ConfigError.code is the matching ARCHWAY_ERR_* value (see issueErrorCode). */
export type IssueCode =
  | 'required'
  | 'unknown-field'
  | 'type'
  | 'value'
  | 'count'
  | 'duplicate'
  | 'rule'
  | 'regex'
  | 'version';

export interface Issue {
  readonly path: Path;
  readonly code: IssueCode;
  readonly message: string;
}

export class Report {
  readonly issues: Issue[] = [];
  /**
   * Whether the walk builds the path of each value it descends into. Without paths, issues are only counted (their
   * paths are wrong): validateObject walks a value so first, as most values are valid, and again with paths if not.
   */
  readonly paths: boolean;

  constructor(paths = true) {
    this.paths = paths;
  }

  add(path: Path, code: IssueCode, message: string): void {
    this.issues.push({ path, code, message });
  }

  get size(): number {
    return this.issues.length;
  }
}

/** `at` with `seg` appended (a plain loop: spreading is slower, and this runs for every field checked). */
export function withKey(at: Path, seg: Seg): Path {
  const n = at.length;
  const out = new Array<Seg>(n + 1);
  for (let i = 0; i < n; i++) out[i] = at[i] as Seg;
  out[n] = seg;
  return out;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "spec.rules[0].matches[0].path.value"; map keys that are not identifiers are bracketed. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${seg}]`;
  }
  return out;
}

export function issueErrorCode(code: IssueCode): string {
  switch (code) {
    case 'required':
      return 'ARCHWAY_ERR_REQUIRED_FIELD';
    case 'unknown-field':
      return 'ARCHWAY_ERR_UNKNOWN_FIELD';
    case 'type':
      return 'ARCHWAY_ERR_FIELD_TYPE';
    case 'value':
      return 'ARCHWAY_ERR_FIELD_VALUE';
    case 'count':
      return 'ARCHWAY_ERR_FIELD_COUNT';
    case 'duplicate':
      return 'ARCHWAY_ERR_DUPLICATE';
    case 'rule':
      return 'ARCHWAY_ERR_RULE';
    case 'regex':
      return 'ARCHWAY_ERR_REGEX_NOT_LINEAR';
    case 'version':
      return 'ARCHWAY_ERR_API_VERSION';
    default: {
      const never: never = code;
      return never;
    }
  }
}
