// Line filters from user input: a plain substring, or a small regular expression that cannot stall.
import { BadUserInputError } from '../../errors.js';
import { compileLinearRegex, RegexSyntaxError } from './log.regex.js';

export type LineFilter = (text: string) => boolean;

export class InvalidFilterError extends BadUserInputError {
  constructor(reason: string) {
    super(`Invalid log filter: ${reason}`);
  }
}

export const MAX_SUBSTRING_LENGTH = 1000;
export const MAX_REGEX_LENGTH = 200;
const REGEX_FORM = /^\/(.+)\/(i?)$/s;

/**
 * `error` matches lines containing "error" (case-sensitive). `/timeout \d+ms/i` is a regular
 * expression: written between slashes, only the `i` flag. Anything else starting with `/`
 * (like `/var/log`) is a plain substring. Empty or absent: no filter (null). Throws InvalidFilterError.
 *
 * Regexes run on a linear-time matcher (log.regex.ts), so no pattern can stall on any line. The
 * rule on top: at most 200 characters; no backreferences or lookaround (a linear matcher cannot
 * have them); no repeated group that holds a repetition or `|` (`(a+)+`, `(a|aa)*`), the classic
 * catastrophic shapes, refused so that filters mean the same on any engine.
 */
export function compileFilter(filter: string | null | undefined): LineFilter | null {
  if (filter === null || filter === undefined || filter === '') return null;
  const regex = REGEX_FORM.exec(filter);
  if (!regex) {
    if (filter.length > MAX_SUBSTRING_LENGTH)
      throw new InvalidFilterError(
        `a substring filter may be at most ${MAX_SUBSTRING_LENGTH} characters.`,
      );
    return (text) => text.includes(filter);
  }
  const [, source, flags] = regex;
  if (source.length > MAX_REGEX_LENGTH)
    throw new InvalidFilterError(
      `a regular expression may be at most ${MAX_REGEX_LENGTH} characters.`,
    );
  try {
    new RegExp(source, flags); // JavaScript's own syntax errors first, in its words
    return compileLinearRegex(source, flags === 'i');
  } catch (err) {
    if (!(err instanceof SyntaxError || err instanceof RegexSyntaxError)) throw err;
    const reason = (err as Error).message.replace(/^Invalid regular expression: /, '');
    throw new InvalidFilterError(
      `${reason}. Fix the expression, or drop the slashes to search for plain text.`,
    );
  }
}
