/**
 * HTTPRouteMatch: path, headers, query parameters and method.
 *
 * Owns: the defaults (path {type: PathPrefix, value: "/"}, header/query type Exact), the CRD's path rules for Exact
 * and PathPrefix values, and the linear-time requirement on RegularExpression values.
 */
import type { HTTPPathMatch } from '../types.ts';
import { headerMatch, queryParamMatch, regexValueRule } from './headers.ts';
import { pathMatchProblem } from './paths.ts';
import { list, obj, type Rule, str, withDefault } from './schema.ts';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

export const DEFAULT_PATH_MATCH = { type: 'PathPrefix', value: '/' };

const pathValueRule: Rule<HTTPPathMatch> = (self, at, report) => {
  if (self.type !== 'Exact' && self.type !== 'PathPrefix') return;
  const problem = pathMatchProblem(self.value ?? '');
  if (problem) report.add([...at, 'value'], 'rule', problem);
};

const pathMatch = obj<HTTPPathMatch>(
  {
    type: withDefault(str({ enum: ['Exact', 'PathPrefix', 'RegularExpression'] }), 'PathPrefix'),
    value: withDefault(str({ max: 1024 }), '/'),
  },
  [pathValueRule, regexValueRule],
);

export const httpRouteMatch = obj({
  path: withDefault(pathMatch, DEFAULT_PATH_MATCH),
  headers: list(headerMatch, { max: 16, uniqueBy: { key: 'name', label: 'header name' } }),
  queryParams: list(queryParamMatch, { max: 16, uniqueBy: { key: 'name', label: 'query parameter name' } }),
  method: str({ enum: HTTP_METHODS }),
});
