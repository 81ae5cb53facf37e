/**
 * HTTPRouteFilter and its variants (header modifiers, redirect, URL rewrite, mirror, CORS, extensionRef,
 * external auth), used on HTTPRoute rules and backendRefs.
 *
 * Owns: each filter's fields and defaults (redirect statusCode 302, mirror fraction denominator 100, CORS maxAge 5),
 * the union rule (the field named by `type` and no other), and the list rules (RequestRedirect and URLRewrite not
 * together; CORS, header modifiers, redirect and rewrite at most once each).
 */
import type { HTTPPathModifier, HTTPRequestMirrorFilter, HTTPRouteFilter } from '../types.ts';
import { headerFilter, headerName } from './headers.ts';
import { preciseHostname } from './hostnames.ts';
import { HTTP_METHODS } from './httpmatch.ts';
import { uriPathProblem } from './paths.ts';
import { backendObjectRef, localObjectRef, portNumber } from './refs.ts';
import { bool, int, list, obj, type Rule, required, rule, str, unionByType, withDefault } from './schema.ts';

const pathModifier = obj<HTTPPathModifier>(
  {
    type: required(str({ enum: ['ReplaceFullPath', 'ReplacePrefixMatch'] })),
    replaceFullPath: str({ max: 1024 }),
    replacePrefixMatch: str({ max: 1024 }),
  },
  [
    rule(
      'required when type is ReplaceFullPath',
      (p) => p.type !== 'ReplaceFullPath' || p.replaceFullPath !== undefined,
      ['replaceFullPath'],
    ),
    rule(
      'must not be set unless type is ReplaceFullPath',
      (p) => p.replaceFullPath === undefined || p.type === 'ReplaceFullPath',
      ['replaceFullPath'],
    ),
    rule(
      'required when type is ReplacePrefixMatch',
      (p) => p.type !== 'ReplacePrefixMatch' || p.replacePrefixMatch !== undefined,
      ['replacePrefixMatch'],
    ),
    rule(
      'must not be set unless type is ReplacePrefixMatch',
      (p) => p.replacePrefixMatch === undefined || p.type === 'ReplacePrefixMatch',
      ['replacePrefixMatch'],
    ),
  ],
);

const requestRedirect = obj({
  scheme: str({ enum: ['http', 'https'] }),
  hostname: preciseHostname,
  path: pathModifier,
  port: portNumber,
  statusCode: withDefault(int({ enum: [301, 302, 303, 307, 308] }), 302),
});

const urlRewrite = obj({ hostname: preciseHostname, path: pathModifier });

/** HTTPRequestMirrorFilter (also GRPCRoute's). */
export const requestMirror = obj<HTTPRequestMirrorFilter>(
  {
    backendRef: required(backendObjectRef),
    percent: int({ min: 0, max: 100 }),
    fraction: obj<{ numerator: number; denominator: number }>(
      { numerator: required(int({ min: 0 })), denominator: withDefault(int({ min: 1 }), 100) },
      [rule('numerator must be less than or equal to denominator', (f) => f.numerator <= f.denominator, ['numerator'])],
    ),
  },
  [
    rule(
      'only one of percent or fraction may be specified',
      (m) => m.percent === undefined || m.fraction === undefined,
    ),
  ],
);

const ORIGIN = /(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)/;

const wildcardAlone = (what: string): Rule<readonly string[]> =>
  rule(`${what} cannot contain '*' alongside other values`, (xs) => !(xs.includes('*') && xs.length > 1));

const cors = obj({
  allowOrigins: list<string>(
    str({ min: 1, max: 253, pattern: ORIGIN, message: 'must be "*" or an origin such as "https://example.com:8443"' }),
    { max: 64, set: true, rules: [wildcardAlone('allowOrigins')] },
  ),
  allowCredentials: bool,
  allowMethods: list<string>(str({ enum: [...HTTP_METHODS, '*'] }), {
    max: 9,
    set: true,
    rules: [wildcardAlone('allowMethods')],
  }),
  allowHeaders: list<string>(headerName, { max: 64, set: true, rules: [wildcardAlone('allowHeaders')] }),
  exposeHeaders: list(headerName, { max: 64, set: true }),
  maxAge: withDefault(int({ min: 1 }), 5),
});

const headerList = list(str(), { max: 64, set: true });

const externalAuth = obj<{ protocol: string; grpc?: unknown; http?: unknown }>(
  {
    protocol: required(str({ enum: ['HTTP', 'GRPC'] })),
    backendRef: required(backendObjectRef),
    grpc: obj({ allowedHeaders: headerList }),
    http: obj({
      path: str({ max: 1024, test: uriPathProblem }),
      allowedHeaders: headerList,
      allowedResponseHeaders: headerList,
    }),
    forwardBody: obj({ maxSize: int({ min: 0 }) }),
  },
  [
    rule('grpc must be specified when protocol is GRPC', (e) => e.protocol !== 'GRPC' || e.grpc !== undefined, [
      'grpc',
    ]),
    rule('must not be set unless protocol is GRPC', (e) => e.grpc === undefined || e.protocol === 'GRPC', ['grpc']),
    rule('http must be specified when protocol is HTTP', (e) => e.protocol !== 'HTTP' || e.http !== undefined, [
      'http',
    ]),
    rule('must not be set unless protocol is HTTP', (e) => e.http === undefined || e.protocol === 'HTTP', ['http']),
  ],
);

const FILTER_FIELDS = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
  CORS: 'cors',
  ExternalAuth: 'externalAuth',
};

const httpRouteFilter = obj(
  {
    type: required(str({ enum: Object.keys(FILTER_FIELDS) })),
    requestHeaderModifier: headerFilter,
    responseHeaderModifier: headerFilter,
    requestMirror,
    requestRedirect,
    urlRewrite,
    extensionRef: localObjectRef,
    cors,
    externalAuth,
  },
  [unionByType(FILTER_FIELDS)],
);

/** Each of `types` at most once in a filter list (the CRD's "filter cannot be repeated" rules). */
export function notRepeated(types: readonly string[]): Rule<readonly { readonly type: string }[]> {
  return (filters, at, report) => {
    const seen = new Set<string>();
    filters.forEach((f, i) => {
      if (types.includes(f.type) && seen.has(f.type))
        report.add([...at, i, 'type'], 'rule', `${f.type} filter cannot be repeated`);
      seen.add(f.type);
    });
  };
}

const redirectOrRewrite: Rule<readonly HTTPRouteFilter[]> = rule(
  'may specify either a RequestRedirect or a URLRewrite filter, but not both',
  (fs) => !(fs.some((f) => f.type === 'RequestRedirect') && fs.some((f) => f.type === 'URLRewrite')),
);

export const httpRouteFilters = list<HTTPRouteFilter>(httpRouteFilter, {
  max: 16,
  rules: [
    redirectOrRewrite,
    notRepeated(['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite']),
  ],
});
