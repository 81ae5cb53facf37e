/**
 * Byte classes of HTTP/1.1 (RFC 9110 5.6.2 token, 5.5 field values; RFC 9112 3.2 request targets) as lookup tables
 * indexed by a byte (0..255). A lookup past the end of a string (NaN) yields undefined, which every caller treats as
 * "not allowed".
 */

export const CR = 13;
export const LF = 10;
export const SP = 32;
export const HTAB = 9;
export const COLON = 58;
export const SEMICOLON = 59;

function table(allowed: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = allowed(c) ? 1 : 0;
  return t;
}

const TCHAR_PUNCT = "!#$%&'*+-.^_`|~";

/** tchar: the characters of a token (method, field name, transfer coding). */
export const TCHAR = table(
  (c) =>
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    TCHAR_PUNCT.includes(String.fromCharCode(c)),
);

/** field-vchar / obs-text / SP / HTAB: the bytes allowed inside a field value (no CTL except HTAB, no DEL). */
export const FIELD_VALUE = table((c) => c === HTAB || (c >= 32 && c !== 127));

/** The bytes of a request target: visible ASCII only (no SP, CTL, DEL or obs-text). */
export const TARGET = table((c) => c > 32 && c < 127);

/** The bytes of an absolute-form authority: unreserved, pct-encoded, sub-delims, ':' and IP-literal brackets. */
export const AUTHORITY = table(
  (c) =>
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    "-._~%!$&'()*+,;=:[]".includes(String.fromCharCode(c)),
);

/** Hexadecimal digit values; -1 for anything else. */
export const HEX_VALUE = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let c = 48; c <= 57; c++) t[c] = c - 48;
  for (let c = 65; c <= 70; c++) t[c] = c - 55;
  for (let c = 97; c <= 102; c++) t[c] = c - 87;
  return t;
})();
