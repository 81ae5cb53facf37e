/**
 * HTTP header names and values, and the header pieces HTTPRoute and GRPCRoute share: header matches and the
 * Request/ResponseHeaderModifier filter.
 *
 * Owns: the token rule for names (RFC 7230), the printable-ASCII rule for values, and their schemas.
 */
import { linearRegexProblem } from './regex.ts';
import { list, obj, type Rule, required, str, withDefault } from './schema.ts';

const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

export const headerName = str({
  min: 1,
  max: 256,
  pattern: TOKEN,
  message: "must be an HTTP token: letters, digits and !#$%&'*+-.^_`|~",
});

/**
 * The CRD's value pattern ^[!-~]+([\t ]?[!-~]+)*$ written as a linear scan (the regex backtracks badly): visible
 * ASCII, single spaces or tabs between, none leading or trailing.
 */
export function headerValueProblem(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  let prevBlank = true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const blank = c === 0x20 || c === 0x09;
    if (!blank && (c < 0x21 || c > 0x7e)) return 'must contain only visible ASCII characters, spaces and tabs';
    if (blank && prevBlank) return 'must not start with, or contain consecutive, spaces or tabs';
    prevBlank = blank;
  }
  return prevBlank ? 'must not end with a space or tab' : undefined;
}

export const headerValue = str({ min: 1, max: 4096, test: headerValueProblem });

const header = obj({ name: required(headerName), value: required(headerValue) });

/** HTTPHeaderFilter (RequestHeaderModifier, ResponseHeaderModifier). */
export const headerFilter = obj({
  set: list(header, { max: 16, uniqueBy: { key: 'name', label: 'header name' } }),
  add: list(header, { max: 16, uniqueBy: { key: 'name', label: 'header name' } }),
  remove: list(str(), { max: 16, set: true }),
});

interface ValueMatch {
  readonly type?: string;
  readonly value?: string;
}

/** A RegularExpression match value must compile with the linear-time engine. */
export const regexValueRule: Rule<ValueMatch> = (self, at, report) => {
  if (self.type !== 'RegularExpression' || typeof self.value !== 'string') return;
  const problem = linearRegexProblem(self.value);
  if (problem) report.add([...at, 'value'], problem.nonLinear ? 'regex' : 'value', problem.message);
};

const MATCH_TYPES = ['Exact', 'RegularExpression'];

/** HTTPHeaderMatch (also GRPCHeaderMatch). */
export const headerMatch = obj<ValueMatch>(
  {
    type: withDefault(str({ enum: MATCH_TYPES }), 'Exact'),
    name: required(headerName),
    value: required(headerValue),
  },
  [regexValueRule],
);

/** HTTPQueryParamMatch. */
export const queryParamMatch = obj<ValueMatch>(
  {
    type: withDefault(str({ enum: MATCH_TYPES }), 'Exact'),
    name: required(headerName),
    value: required(str({ min: 1, max: 1024 })),
  },
  [regexValueRule],
);
