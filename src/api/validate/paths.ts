/**
 * HTTP paths in route matches and rewrites, as the HTTPRoute CRD constrains them.
 *
 * Owns: the CEL rules on an Exact or PathPrefix path match value (absolute, no '//', '/./', '/../', '%2f', '#',
 * no trailing '/.' or '/..', only URI path characters), in the CRD's order, each with its own message.
 */

const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

const RULES: readonly (readonly [(v: string) => boolean, string])[] = [
  [(v) => v.startsWith('/'), "must start with '/'"],
  [(v) => !v.includes('//'), "must not contain '//'"],
  [(v) => !v.includes('/./'), "must not contain '/./'"],
  [(v) => !v.includes('/../'), "must not contain '/../'"],
  [(v) => !v.includes('%2f') && !v.includes('%2F'), "must not contain '%2f' or '%2F'"],
  [(v) => !v.includes('#'), "must not contain '#'"],
  [(v) => !v.endsWith('/..'), "must not end with '/..'"],
  [(v) => !v.endsWith('/.'), "must not end with '/.'"],
  [
    (v) => PATH_CHARS.test(v),
    "must contain only URI path characters (letters, digits, -._~!$&'()*+,;=:@/ and %XX escapes)",
  ],
];

/** Why `value` is not a valid Exact or PathPrefix match value, or undefined. */
export function pathMatchProblem(value: string): string | undefined {
  for (let i = 0; i < RULES.length; i++) {
    const rule = RULES[i] as (typeof RULES)[number];
    if (!rule[0](value)) return rule[1];
  }
  return undefined;
}

/** Why `value` is not an absolute URI path with valid characters (used by external auth paths), or undefined. */
export function uriPathProblem(value: string): string | undefined {
  return PATH_CHARS.test(value) ? undefined : RULES[RULES.length - 1]?.[1];
}
