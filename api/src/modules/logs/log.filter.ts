// Line filters from user input: a plain substring, or a regular expression run by RE2 (linear time, whatever the pattern).
import RE2 from 're2';
import { BadUserInputError } from '../../errors.js';

/**
 * How log.scan.ts finds candidate lines in raw bytes before decoding any: a literal's UTF-8
 * bytes, or a multiline RE2 that matches somewhere in every run of whole lines holding a match
 * (it may also match across a newline: each candidate line is then checked alone).
 */
export type ByteSearch = { literal: Buffer } | { regex: RE2 };

/** Is this line (as shown: CR dropped, first 64 KiB) a match? `bytes`, when present, finds candidates in raw bytes. */
export type LineFilter = ((text: string) => boolean) & { bytes?: ByteSearch };

export class InvalidFilterError extends BadUserInputError {
  constructor(reason: string) {
    super(`Invalid log filter: ${reason}`);
  }
}

export const MAX_SUBSTRING_LENGTH = 1000;
export const MAX_REGEX_LENGTH = 200;
/** `/source/flags`: the regular-expression form (trigger.match.ts reads its captures) */
export const REGEX_FORM = /^\/(.+)\/(i?)$/s;
// JavaScript's tokens: an escape pair, a character class (escapes inside), or one character
const TOKEN = /\\[\s\S]|\[(?:\\[\s\S]|[^\]\\])*\]|[\s\S]/g;

/**
 * `error` matches lines containing "error" (case-sensitive). `/timeout \d+ms/i` is a regular
 * expression: written between slashes, only the `i` flag. Anything else starting with `/`
 * (like `/var/log`) is a plain substring. Empty or absent: no filter (null). Throws InvalidFilterError.
 *
 * Regexes use JavaScript's syntax and run on RE2, in time linear in the line for every pattern.
 * At most 200 characters; no backreferences or lookaround (RE2 has none: they need backtracking).
 */
export function compileFilter(filter: string | null | undefined): LineFilter | null {
  if (filter === null || filter === undefined || filter === '') return null;
  const regex = REGEX_FORM.exec(filter);
  if (!regex) return substringFilter(filter);
  const [, source, flags] = regex;
  if (source.length > MAX_REGEX_LENGTH)
    throw new InvalidFilterError(
      `a regular expression may be at most ${MAX_REGEX_LENGTH} characters.`,
    );
  try {
    new RegExp(source, flags); // JavaScript's own syntax errors first, in its words
    const tokens = source.match(TOKEN) ?? [];
    if (tokens.some((t) => t === '[]' || t === '[^]'))
      throw new SyntaxError(
        '`[]` and `[^]` are not supported (write `\\]` for a literal "]", `[\\s\\S]` for any character)',
      );
    const line = new RE2(source, `${flags}u`);
    // in raw bytes a CRLF line's `$` stands before "\r\n": let it (the line check is exact)
    const block = tokens.map((t) => (t === '$' ? '(?:\\r?$)' : t)).join('');
    const test = (text: string): boolean => line.test(text);
    return Object.assign(test, { bytes: { regex: new RE2(block, `${flags}mu`) } });
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new InvalidFilterError(
      `${explain(err.message)}. Fix the expression, or drop the slashes to search for plain text.`,
    );
  }
}

function substringFilter(needle: string): LineFilter {
  if (needle.length > MAX_SUBSTRING_LENGTH)
    throw new InvalidFilterError(
      `a substring filter may be at most ${MAX_SUBSTRING_LENGTH} characters.`,
    );
  const test = (text: string): boolean => text.includes(needle);
  const literal = Buffer.from(needle, 'utf8');
  // U+FFFD stands in the text for invalid bytes that no byte search finds (a lone surrogate encodes to it)
  if (literal.includes('\ufffd')) return test;
  return Object.assign(test, { bytes: { literal } });
}

/** RE2's reasons, in words a user can act on. */
function explain(message: string): string {
  const reason = message.replace(/^Invalid regular expression: /, '');
  if (/invalid escape sequence: \\[1-9k]/.test(reason))
    return 'backreferences (\\1, \\k<name>) are not supported: the search engine (RE2) runs in linear time and cannot have them';
  if (/invalid perl operator: \(\?<?[=!]/.test(reason))
    return 'lookahead and lookbehind are not supported: the search engine (RE2) runs in linear time and cannot have them';
  if (/invalid repetition size|bad repetition operator/.test(reason))
    return `repetition count too large (at most 1000): ${reason}`;
  if (/pattern too large/.test(reason))
    return 'expression too large once its repetitions are expanded';
  return reason;
}
