/**
 * HTTPRouteMatch -> HttpMatchIR, with the validation the CRD would otherwise do.
 *
 * Owns: defaults (no path = PathPrefix "/"), PathPrefix normalization (a trailing "/" is ignored, except for "/"),
 * header names lower-cased and the first of equivalent names kept, method and match-type enums (unknown values are
 * UnsupportedValue), and linear-time regular expressions.
 */
import type { HTTPHeaderMatch, HTTPRouteMatch } from '../api/types.ts';
import type { HttpMatchIR, PathMatchIR, ValueMatchIR } from '../ir/types.ts';
import { regexProblem } from './regex.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const fail = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });

export function convertMatch(match: HTTPRouteMatch): Checked<HttpMatchIR> {
  const path = convertPath(match.path?.type ?? 'PathPrefix', match.path?.value ?? '/');
  if (!path.ok) return path;
  const method = match.method ?? null;
  if (method !== null && !METHODS.has(method)) return fail(`method "${method}" is not supported`);
  const headers = convertValues(match.headers, lowerCase, 'header');
  if (!headers.ok) return headers;
  const queryParams = convertValues(match.queryParams, asIs, 'query param');
  if (!queryParams.ok) return queryParams;
  return { ok: true, value: { path: path.value, method, headers: headers.value, queryParams: queryParams.value } };
}

function convertPath(type: string, value: string): Checked<PathMatchIR> {
  switch (type) {
    case 'Exact':
    case 'PathPrefix': {
      if (!value.startsWith('/') || value.includes('//')) {
        return fail(`path ${JSON.stringify(value)} must start with "/" and not contain "//"`);
      }
      const normalized = type === 'PathPrefix' && value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value;
      return { ok: true, value: { type, value: normalized } };
    }
    case 'RegularExpression': {
      const problem = regexProblem(value);
      return problem ? fail(`path ${problem}`) : { ok: true, value: { type, value } };
    }
    default:
      return fail(`path match type "${type}" is not supported`);
  }
}

const lowerCase = (name: string): string => name.toLowerCase();
const asIs = (name: string): string => name;
const NO_VALUES: Checked<readonly ValueMatchIR[]> = Object.freeze({ ok: true, value: Object.freeze([]) });

function convertValues(
  matches: readonly HTTPHeaderMatch[] | undefined,
  normalizeName: (name: string) => string,
  what: string,
): Checked<readonly ValueMatchIR[]> {
  if (!matches || matches.length === 0) return NO_VALUES;
  const out: ValueMatchIR[] = [];
  for (const m of matches) {
    const name = normalizeName(m.name);
    if (out.some((o) => o.name === name)) continue; // only the first of equivalent names counts
    const type = m.type ?? 'Exact';
    if (type !== 'Exact' && type !== 'RegularExpression') return fail(`${what} match type "${type}" is not supported`);
    const problem = type === 'RegularExpression' ? regexProblem(m.value) : undefined;
    if (problem) return fail(`${what} "${m.name}" ${problem}`);
    out.push({ type, name, value: m.value });
  }
  return { ok: true, value: out.slice() }; // exactly sized: kept with the route
}
