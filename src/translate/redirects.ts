/**
 * RequestRedirect and URLRewrite filter values, and the path modifiers they share.
 *
 * Owns: the redirect defaults (statusCode 302) and enums (scheme http/https; status 301, 302, 303, 307, 308),
 * ReplaceFullPath / ReplacePrefixMatch (the latter only with a PathPrefix match, whose value it replaces).
 */
import type { HTTPPathModifier, HTTPRequestRedirectFilter, HTTPURLRewriteFilter } from '../api/types.ts';
import type { PathMatchIR, PathRewriteIR, RedirectIR } from '../ir/types.ts';
import type { Checked } from './matches.ts';

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const SCHEMES = new Set(['http', 'https']);

const fail = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });

export function convertRedirect(spec: HTTPRequestRedirectFilter, match: PathMatchIR): Checked<RedirectIR> {
  const statusCode = spec.statusCode ?? 302;
  if (!REDIRECT_CODES.has(statusCode)) return fail(`RequestRedirect statusCode ${statusCode} is not supported`);
  if (spec.scheme !== undefined && !SCHEMES.has(spec.scheme)) {
    return fail(`RequestRedirect scheme "${spec.scheme}" is not supported`);
  }
  if (spec.port !== undefined && !(spec.port >= 1 && spec.port <= 65535)) {
    return fail(`RequestRedirect port ${spec.port} is out of range`);
  }
  const path = spec.path ? convertPathModifier(spec.path, match) : undefined;
  if (path && !path.ok) return fail(`RequestRedirect: ${path.problem}`);
  return {
    ok: true,
    value: {
      ...(spec.scheme !== undefined && { scheme: spec.scheme }),
      ...(spec.hostname !== undefined && { hostname: spec.hostname }),
      ...(path && { path: path.value }),
      ...(spec.port !== undefined && { port: spec.port }),
      statusCode,
    },
  };
}

export function convertRewrite(
  spec: HTTPURLRewriteFilter,
  match: PathMatchIR,
): Checked<{ hostname?: string; path?: PathRewriteIR }> {
  const path = spec.path ? convertPathModifier(spec.path, match) : undefined;
  if (path && !path.ok) return fail(`URLRewrite: ${path.problem}`);
  return {
    ok: true,
    value: { ...(spec.hostname !== undefined && { hostname: spec.hostname }), ...(path && { path: path.value }) },
  };
}

function convertPathModifier(spec: HTTPPathModifier, match: PathMatchIR): Checked<PathRewriteIR> {
  switch (spec.type) {
    case 'ReplaceFullPath':
      return spec.replaceFullPath === undefined
        ? fail('replaceFullPath is required')
        : { ok: true, value: { type: 'full', value: spec.replaceFullPath } };
    case 'ReplacePrefixMatch':
      if (spec.replacePrefixMatch === undefined) return fail('replacePrefixMatch is required');
      if (match.type !== 'PathPrefix') return fail('ReplacePrefixMatch needs a PathPrefix match');
      return { ok: true, value: { type: 'prefix', prefix: match.value, value: spec.replacePrefixMatch } };
    default:
      return fail(`path modifier type "${(spec as { type: string }).type}" is not supported`);
  }
}
