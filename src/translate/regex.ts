/**
 * User regular expressions (RegularExpression path, header and query param matches) must run in linear time.
 *
 * Owns: enabling V8's non-backtracking engine and the check that a pattern compiles with it ('l' flag). A pattern
 * that cannot run in linear time, or does not compile at all, is rejected here so that the route reports it.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--enable-experimental-regexp-engine');

/** Why `pattern` is rejected, or undefined when the data plane can run it in linear time. */
export function regexProblem(pattern: string): string | undefined {
  const what = `regular expression ${JSON.stringify(pattern)}`;
  try {
    new RegExp(pattern);
  } catch {
    return `${what} is not valid`;
  }
  try {
    new RegExp(pattern, 'l');
    return undefined;
  } catch {
    return `${what} cannot run in linear time (no backreferences or lookahead)`;
  }
}
