/**
 * The Gateway API HTTPRoute filters as small named passes over precompiled plans. Header passes edit flat
 * [name, value...] lists in place; path / redirect passes return strings. Each names the rule it enforces.
 */

import { removeFields } from './headers.ts';
import { equalsIgnoreCase } from './match.ts';
import type { FilterPlan, HeaderEdits, PathRewrite, RedirectPlan } from './table.ts';

function indexOfField(list: readonly string[], name: string, from: number): number {
  for (let i = from; i < list.length; i += 2) if (equalsIgnoreCase(list[i]!, name)) return i;
  return -1;
}

function setField(list: string[], name: string, value: string): void {
  const i = indexOfField(list, name, 0);
  if (i >= 0 && indexOfField(list, name, i + 2) < 0) {
    list[i + 1] = value;
    return;
  }
  if (i >= 0) removeFields(list, [name]);
  list.push(name, value);
}

function addField(list: string[], name: string, value: string): void {
  const i = indexOfField(list, name, 0);
  if (i < 0) list.push(name, value);
  else list[i + 1] = `${list[i + 1]!},${value}`;
}

/** HTTPHeaderFilter: `set` overwrites, `add` appends to existing values with ",", `remove` deletes the field. */
export function editHeaders(list: string[], edits: HeaderEdits): void {
  for (const s of edits.set) setField(list, s.name, s.value);
  for (const a of edits.add) addField(list, a.name, a.value);
  if (edits.remove.length > 0) removeFields(list, edits.remove);
}

/** RequestHeaderModifier: every request header filter of the rule, then of the backend, in order. */
export function requestHeaders(list: string[], plan: FilterPlan): void {
  for (const edits of plan.requestHeaders) editHeaders(list, edits);
}

/** ResponseHeaderModifier: every response header filter of the rule, then of the backend, in order. */
export function responseHeaders(list: string[], plan: FilterPlan): void {
  for (const edits of plan.responseHeaders) editHeaders(list, edits);
}

/**
 * HTTPPathModifier: ReplaceFullPath replaces the whole path; ReplacePrefixMatch replaces the matched prefix on a
 * segment boundary ("/foo/bar", prefix "/foo", "/xyz" -> "/xyz/bar"; "" or "/" as replacement -> "/bar"; never "").
 */
export function rewritePath(path: string, rw: PathRewrite): string {
  const p = rw.prefix;
  if (p === null) return rw.value;
  if (!path.startsWith(p) || (path.length !== p.length && path.charCodeAt(p.length) !== 47)) return path;
  const out = rw.value + path.slice(p.length);
  if (out === '') return '/';
  return out.charCodeAt(0) === 47 ? out : `/${out}`;
}

/** URLRewrite hostname: the Host header sent upstream (the client's Host stays in X-Forwarded-Host). */
export function rewriteHost(list: string[], hostname: string): void {
  setField(list, 'host', hostname);
}

export interface RedirectSource {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** "" or "?...". */
  readonly query: string;
}

function wellKnownPort(scheme: string): number | null {
  if (scheme === 'http') return 80;
  if (scheme === 'https') return 443;
  return null;
}

/**
 * RequestRedirect: Location from scheme (else the request's), hostname (else the request Host without port), path
 * (modified, else the request's) and port: the filter's; else the scheme's well-known port when a scheme is set; else
 * the listener port. The port is omitted when it is the default of the Location's scheme (http:80, https:443).
 */
export function redirectLocation(r: RedirectPlan, req: RedirectSource): string {
  const scheme = r.scheme ?? req.scheme;
  const host = r.hostname ?? req.host;
  const port = r.port ?? (r.scheme !== null ? (wellKnownPort(r.scheme) ?? req.port) : req.port);
  const portPart = port === wellKnownPort(scheme) ? '' : `:${port}`;
  const path = r.path === null ? req.path : rewritePath(req.path, r.path);
  return `${scheme}://${host}${portPart}${path}${req.query}`;
}

/** RequestMirror percent: whether this request is copied (0-100, 100 always). */
export function mirrorSampled(percent: number): boolean {
  return percent >= 100 || Math.random() * 100 < percent;
}
