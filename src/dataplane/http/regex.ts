/**
 * Compiles user RegularExpression matches (path, header, query param) for V8's linear-time engine, once, at compile
 * time. A pattern the engine cannot run in linear time (backreferences, lookaround...) is rejected, never run on the
 * backtracking engine. Matches are full matches: the pattern is anchored at both ends.
 */

import { setFlagsFromString } from 'node:v8';
import { InvalidRegexError } from '../errors.ts';

setFlagsFromString('--enable-experimental-regexp-engine');

/** Returns a RegExp that fully matches `pattern` in linear time, or throws InvalidRegexError. */
export function compileFullMatch(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'l');
  } catch (err) {
    throw new InvalidRegexError(`regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
