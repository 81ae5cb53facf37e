/**
 * Hostnames as the Gateway API spells them: Hostname (a DNS name, optionally with a leading "*." wildcard label)
 * and PreciseHostname (no wildcard).
 *
 * Owns: the hostname checks with a message that says what is wrong (wildcard placement, case, characters).
 */
import { SUBDOMAIN_MESSAGE, subdomainProblem } from './names.ts';
import { type Schema, str } from './schema.ts';

/** Why `s` is not a Gateway API Hostname (wildcard allowed only as the whole first label), or undefined. */
export function hostnameProblem(s: string): string | undefined {
  if (s.length === 0) return 'must not be empty';
  if (s.length > 253) return `must be at most 253 characters (is ${s.length})`;
  const rest = s.startsWith('*.') ? s.slice(2) : s;
  if (rest.includes('*')) return 'a wildcard \'*\' is only allowed as the whole first label, as in "*.example.com"';
  return subdomainProblem(rest) ? hostnameMessage(rest) : undefined;
}

/** Why `s` is not a PreciseHostname (a DNS name without wildcard), or undefined. */
export function preciseHostnameProblem(s: string): string | undefined {
  if (s.includes('*')) return 'must not contain a wildcard';
  if (s.length === 0) return 'must not be empty';
  if (s.length > 253) return `must be at most 253 characters (is ${s.length})`;
  return subdomainProblem(s) ? hostnameMessage(s) : undefined;
}

function hostnameMessage(s: string): string {
  if (s !== s.toLowerCase()) return 'must be lowercase';
  if (s.includes(':')) return 'must not contain a port';
  return SUBDOMAIN_MESSAGE.replace('subdomain', 'hostname');
}

export const hostname: Schema = str({ test: hostnameProblem });
export const preciseHostname: Schema = str({ test: preciseHostnameProblem });
