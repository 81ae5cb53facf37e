/**
 * Request-target and Host normalization, applied BEFORE route matching. The normalized path is both what routes match
 * and what is forwarded, so a request can never match one route and reach the upstream as a different path.
 *
 * Path rules (RFC 3986 6.2.2 and 5.2.4): percent-encoded unreserved characters are decoded, other percent-encodings
 * get upper-case hex, dot segments ("." and "..", also as %2e) are resolved, repeated slashes are merged. An encoded
 * slash (%2F), a backslash (literal or %5C), NUL (%00), a fragment '#' or a malformed escape make the request invalid.
 */

const PERCENT = 37;
const SLASH = 47;
const DOT = 46;
const BACKSLASH = 92;
const HASH = 35;

/** Returns the normalized path, `raw` itself when it needs no change, or null when the path must be rejected (400). */
export function normalizePath(raw: string): string | null {
  // hot path: one scan; almost every path is already normal
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === PERCENT || c === BACKSLASH || c === HASH || c === 0) return normalizeSlow(raw);
    if (c === SLASH && i + 1 < n) {
      const d = raw.charCodeAt(i + 1);
      if (d === SLASH || d === DOT) return normalizeSlow(raw);
    }
  }
  return raw;
}

function normalizeSlow(raw: string): string | null {
  const decoded = decodeUnreserved(raw);
  return decoded === null ? null : removeDotSegments(decoded);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function isUnreserved(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 126
  );
}

const HEX = '0123456789ABCDEF';

/** Decodes %XX of unreserved characters; rejects malformed escapes, %2F, %5C, %00, '\' and '#'. */
export function decodeUnreserved(raw: string): string | null {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === BACKSLASH || c === HASH || c === 0) return null;
    if (c !== PERCENT) {
      out += raw[i];
      continue;
    }
    const hi = hexValue(raw.charCodeAt(i + 1));
    const lo = hexValue(raw.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) return null;
    const v = hi * 16 + lo;
    if (v === SLASH || v === BACKSLASH || v === 0) return null;
    out += isUnreserved(v) ? String.fromCharCode(v) : `%${HEX[hi]}${HEX[lo]}`;
    i += 2;
  }
  return out;
}

/** Resolves "." and ".." segments and merges empty segments; keeps a trailing slash. `path` starts with "/". */
export function removeDotSegments(path: string): string {
  const segments = path.split('/');
  const out: string[] = [];
  const last = segments.length - 1;
  for (let i = 1; i <= last; i++) {
    const s = segments[i] as string;
    if (s === '..') out.pop();
    if (s === '' || s === '.' || s === '..') {
      if (i === last) out.push('');
      continue;
    }
    out.push(s);
  }
  return `/${out.join('/')}`;
}

/**
 * Host header value -> lower-case host without port, or null when it is not a valid authority. IPv6 literals keep
 * their brackets ("[::1]"). The empty string (HTTP/1.0 without Host) stays empty.
 */
export function normalizeHost(value: string): string | null {
  // hot path
  let end = value.length;
  let upper = false;
  if (value.charCodeAt(0) === 91 /* [ */) {
    const close = value.indexOf(']');
    if (close < 0) return null;
    end = close + 1;
    if (end < value.length && value.charCodeAt(end) !== 58 /* : */) return null;
  }
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c === 58 && value.charCodeAt(0) !== 91) {
      end = i;
      break;
    }
    if (c >= 65 && c <= 90) upper = true;
    else if (c <= 32 || c === 47 || c === 64 || c === 63 || c === HASH || c === BACKSLASH || c >= 127) return null;
  }
  if (!validPort(value, end)) return null;
  const host = end === value.length ? value : value.slice(0, end);
  return upper ? host.toLowerCase() : host;
}

function validPort(value: string, colon: number): boolean {
  if (colon === value.length) return true;
  if (colon + 1 === value.length) return true; // "host:" has an empty port, allowed by RFC 3986
  for (let i = colon + 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return value.length - colon - 1 <= 5;
}
