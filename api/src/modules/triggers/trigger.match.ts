// A trigger's pattern against one log line: does it match, and what did its named groups capture.
// The pattern is the log filter syntax (log.filter.ts): a substring, or /regex/ run by RE2.
import RE2 from 're2';
import { PLACEHOLDER } from '../../config/agent-config.rules.js';
import type { ArgValue } from '../../config/agent-config.types.js';
import { compileFilter, REGEX_FORM } from '../logs/log.filter.js';

/** Only this much of a line is matched: RE2 is linear, and a line this long is not a log message. */
export const MAX_MATCH_CHARS = 64 * 1024;

export type Captures = Record<string, string>;
/** The captures of a matching line (empty for a substring pattern), or null when it does not match. */
export type TriggerMatcher = (line: string) => Captures | null;

/** Compiles `pattern`; throws InvalidFilterError (compileFilter's message) when it is not valid. */
export function compileTrigger(pattern: string): TriggerMatcher {
  const test = compileFilter(pattern);
  const form = REGEX_FORM.exec(pattern);
  if (!test) return () => null; // an empty pattern matches nothing here (the config refuses it)
  if (!form) return (line) => (test(line.slice(0, MAX_MATCH_CHARS)) ? {} : null);
  const re = new RE2(form[1], `${form[2]}u`);
  return (line) => {
    const m = re.exec(line.slice(0, MAX_MATCH_CHARS));
    if (!m) return null;
    const captures: Captures = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) captures[k] = v ?? '';
    return captures;
  };
}

/** The named groups of a valid pattern, `(?<name>…)`; none for a substring. */
export function namedGroups(pattern: string): string[] {
  const form = REGEX_FORM.exec(pattern);
  if (!form) return [];
  // an empty alternative makes it match "", and exec then lists every group, unset
  const m = new RegExp(`(?:${form[1]})|`, form[2]).exec('');
  return Object.keys(m?.groups ?? {});
}

/** The trigger's argument values with `{{capture}}` replaced; a group that took no part gives "". */
export function substitute(args: readonly ArgValue[], captures: Captures): ArgValue[] {
  return args.map(({ name, value }) => ({
    name,
    value: value.replace(PLACEHOLDER, (_m, g: string) => captures[g] ?? ''),
  }));
}
