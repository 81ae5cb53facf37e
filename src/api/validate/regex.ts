/**
 * User regular expressions (RegularExpression path, header and query matches) must run in linear time.
 *
 * Owns: enabling V8's non-backtracking engine and deciding whether a pattern can be compiled with it. A pattern the
 * engine cannot run in linear time (backreferences, lookaround, large counted repetitions) is rejected.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--enable-experimental-regexp-engine');

export const LINEAR_MESSAGE = 'must be a regular expression that runs in linear time';

/** Compiles `pattern` with the linear-time engine ('l' flag); throws SyntaxError if it cannot. */
export function compileLinear(pattern: string, flags = ''): RegExp {
  return new RegExp(pattern, `${flags}l`);
}

/** Why `pattern` cannot be used as a linear-time regular expression, or undefined. */
export function linearRegexProblem(
  pattern: string,
): { readonly nonLinear: boolean; readonly message: string } | undefined {
  try {
    compileLinear(pattern);
    return undefined;
  } catch (err) {
    const detail =
      err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/l: /s, '') : String(err);
    if (/linear time/i.test(detail)) {
      return {
        nonLinear: true,
        message: `${LINEAR_MESSAGE} (no backreferences, lookaround or large counted repetitions)`,
      };
    }
    return { nonLinear: false, message: `invalid regular expression: ${detail}` };
  }
}
