/**
 * Names: the Kubernetes name rules (RFC 1123 labels and subdomains, RFC 1035 labels, qualified names, label values)
 * and the Gateway API name types built on them (Group, Kind, ObjectName, Namespace, SectionName).
 *
 * Owns: the predicates (is*), a message for each, and the string schemas the kinds share.
 */
import { type Schema, str } from './schema.ts';

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${LABEL}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

export const SUBDOMAIN_MESSAGE =
  "must be a lowercase RFC 1123 subdomain: a-z, 0-9, '-' and '.', starting and ending with a letter or digit";
export const LABEL_MESSAGE =
  "must be a lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit";
const DNS1035_MESSAGE = "must be a lowercase RFC 1035 label: a-z, 0-9 and '-', starting with a letter";

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

export function isDns1035Label(s: string): boolean {
  return s.length <= 63 && DNS1035_LABEL.test(s);
}

/** Why `s` is not an RFC 1123 subdomain of at most 253 characters, or undefined. */
export function subdomainProblem(s: string): string | undefined {
  if (s.length === 0) return 'must not be empty';
  if (s.length > 253) return `must be at most 253 characters (is ${s.length})`;
  return DNS1123_SUBDOMAIN.test(s) ? undefined : SUBDOMAIN_MESSAGE;
}

export function labelProblem(s: string): string | undefined {
  if (s.length === 0) return 'must not be empty';
  if (s.length > 63) return `must be at most 63 characters (is ${s.length})`;
  return DNS1123_LABEL.test(s) ? undefined : LABEL_MESSAGE;
}

export function dns1035Problem(s: string): string | undefined {
  if (s.length === 0) return 'must not be empty';
  if (s.length > 63) return `must be at most 63 characters (is ${s.length})`;
  return DNS1035_LABEL.test(s) ? undefined : DNS1035_MESSAGE;
}

/** A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function qualifiedNameProblem(s: string): string | undefined {
  const slash = s.lastIndexOf('/');
  const prefix = slash >= 0 ? s.slice(0, slash) : undefined;
  const name = slash >= 0 ? s.slice(slash + 1) : s;
  if (prefix !== undefined) {
    const p = subdomainProblem(prefix);
    if (p) return `prefix ${p}`;
  }
  if (name.length === 0) return 'must have a name part';
  if (name.length > 63) return 'name part must be at most 63 characters';
  if (!QUALIFIED_NAME.test(name)) {
    return "name part must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** A label value: empty, or at most 63 characters of letters, digits, '-', '_', '.' starting/ending alphanumeric. */
export function labelValueProblem(s: string): string | undefined {
  if (s.length > 63) return `must be at most 63 characters (is ${s.length})`;
  if (s === '' || QUALIFIED_NAME.test(s)) return undefined;
  return "must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
}

// ------------------------------------------------------------------------------------------------ Gateway API

/** Group: "" (core) or a DNS subdomain. */
export const group: Schema = str({ max: 253, test: (s) => (s === '' ? undefined : subdomainProblem(s)) });

export const kind: Schema = str({
  min: 1,
  max: 63,
  pattern: KIND,
  message: "must start with a letter and contain only letters, digits and '-'",
});

/** ObjectName: any non-empty string of at most 253 characters. */
export const objectName: Schema = str({ min: 1, max: 253 });

/** Namespace: an RFC 1123 label. */
export const namespace: Schema = str({ test: labelProblem });

/** SectionName, listener names, rule names: RFC 1123 subdomains. */
export const sectionName: Schema = str({ test: subdomainProblem });
