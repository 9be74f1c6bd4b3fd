// Line filters from user input: a plain substring, or a small regular expression that cannot stall.
import { BadUserInputError } from '../../errors.js';

export type LineFilter = (text: string) => boolean;

export class InvalidFilterError extends BadUserInputError {
  constructor(reason: string) {
    super(`Invalid log filter: ${reason}`);
  }
}

export const MAX_SUBSTRING_LENGTH = 1000;
export const MAX_REGEX_LENGTH = 200;
/** A regex filter is tested against at most this many leading characters of a line. */
export const REGEX_INPUT_CHARS = 4096;
const MAX_BOUNDED_PRODUCT = 256;
const REGEX_FORM = /^\/(.+)\/(i?)$/s;

/**
 * `error` matches lines containing "error" (case-sensitive). `/timeout \d+ms/i` is a regular
 * expression: written between slashes, only the `i` flag. Anything else starting with `/`
 * (like `/var/log`) is a plain substring. Empty or absent: no filter (null).
 * Regexes are refused when they could backtrack for long (see checkRegexSafety); throws InvalidFilterError.
 */
export function compileFilter(filter: string | null | undefined): LineFilter | null {
  if (filter === null || filter === undefined || filter === '') return null;
  const regex = REGEX_FORM.exec(filter);
  if (!regex) {
    if (filter.length > MAX_SUBSTRING_LENGTH) throw new InvalidFilterError(`a substring filter may be at most ${MAX_SUBSTRING_LENGTH} characters.`);
    return (text) => text.includes(filter);
  }
  const [, source, flags] = regex;
  if (source.length > MAX_REGEX_LENGTH) throw new InvalidFilterError(`a regular expression may be at most ${MAX_REGEX_LENGTH} characters.`);
  checkRegexSafety(source);
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (err) {
    throw new InvalidFilterError(`${(err as Error).message}. Fix the expression, or drop the slashes to search for plain text.`);
  }
  return (text) => re.test(text.length > REGEX_INPUT_CHARS ? text.slice(0, REGEX_INPUT_CHARS) : text);
}

interface Group {
  quantified: boolean; // holds a quantifier somewhere inside
  alternation: boolean;
}

/**
 * The rule (a syntactic check, so it stays simple and predictable):
 * no backreferences or lookaround; no quantifier on a group that itself holds a quantifier or `|`
 * (nested quantifiers backtrack exponentially); at most one unbounded quantifier (`*`, `+`, `{n,}`),
 * since two can backtrack polynomially; bounded ones (`?`, `{n,m}`) multiply to at most 256.
 */
export function checkRegexSafety(source: string): void {
  const stack: Group[] = [{ quantified: false, alternation: false }];
  let unbounded = 0;
  let product = 1;
  let lastClosed: Group | null = null; // the group just closed, if the previous token was `)`
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (/[1-9]/.test(n) || n === 'k') throw new InvalidFilterError('backreferences (\\1, \\k<name>) are not allowed.');
      i++;
      lastClosed = null;
      continue;
    }
    if (c === '[') {
      i = classEnd(source, i);
      lastClosed = null;
      continue;
    }
    if (c === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i, i + 4))) throw new InvalidFilterError('lookahead and lookbehind are not allowed.');
      stack.push({ quantified: false, alternation: false });
      if (source[i + 1] === '?') i = source[i + 2] === '<' ? Math.max(i, source.indexOf('>', i)) : i + 2; // (?: or (?<name>
      lastClosed = null;
      continue;
    }
    if (c === ')') {
      lastClosed = stack.length > 1 ? stack.pop()! : null;
      if (lastClosed) {
        const parent = stack[stack.length - 1];
        parent.quantified ||= lastClosed.quantified;
      }
      continue;
    }
    if (c === '|') top.alternation = true;
    const q = quantifierAt(source, i);
    if (q) {
      if (lastClosed && (lastClosed.quantified || lastClosed.alternation)) {
        throw new InvalidFilterError('a repeated group may not contain another repetition or `|` (nested quantifiers can stall). Simplify it, e.g. `(ab)+` instead of `(a+b)+`.');
      }
      if (q.max === Infinity) unbounded++;
      else product *= q.max + 1;
      if (unbounded > 1) throw new InvalidFilterError('use at most one unbounded repetition (`*`, `+`, `{n,}`); use `{0,N}` for the others, or a plain substring.');
      if (product > MAX_BOUNDED_PRODUCT) throw new InvalidFilterError('the bounded repetitions (`?`, `{n,m}`) allow too many combinations; use fewer or smaller ones.');
      for (const g of stack) g.quantified = true;
      i = q.end - 1;
      if (source[i + 1] === '?') i++; // lazy suffix
    }
    lastClosed = null;
  }
}

function quantifierAt(source: string, i: number): { max: number; end: number } | null {
  const c = source[i];
  if (c === '*' || c === '+') return { max: Infinity, end: i + 1 };
  if (c === '?') return { max: 1, end: i + 1 };
  if (c !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
  if (!m) return null;
  const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
  return { max, end: i + m[0].length };
}

function classEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i; // JS: `[]` is an empty class, not a literal `]`
  }
  return source.length; // unterminated: RegExp reports it
}
