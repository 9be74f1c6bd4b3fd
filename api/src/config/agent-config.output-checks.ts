// agent.yaml output checks on a command: `failOn`, `successOn` (log filter syntax) and `extract`
// (/regex/ with named groups). Compiled here once so a bad pattern is refused at load, with its line.
import { z } from 'zod';
import { compileFilter, REGEX_FORM } from '../modules/logs/log.filter.js';
import { namedGroups } from '../modules/triggers/trigger.match.js';

/** Patterns per list: each one is run on every output line of the command. */
export const MAX_CHECK_PATTERNS = 20;

/** A pattern in the log filter syntax, refused at load with compileFilter's own message. */
export const logFilterSchema = z
  .string()
  .min(1, 'must not be empty')
  .superRefine((p, ctx) => {
    try {
      compileFilter(p);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });
const filter = logFilterSchema;

const patterns = (what: string) =>
  z
    .array(filter)
    .max(MAX_CHECK_PATTERNS, `at most ${MAX_CHECK_PATTERNS} ${what} patterns`)
    .default([]);

/** `failOn:` a match ends a run that exited 0 FAILED. */
export const failOnSchema = patterns('failOn');
/** `successOn:` when given, a run that exited 0 with no match ends FAILED. */
export const successOnSchema = patterns('successOn');

/** `extract:` a /regex/ whose named groups become the run's key/value result. */
export const extractSchema = z
  .array(
    filter.superRefine((p, ctx) => {
      if (!REGEX_FORM.test(p))
        return ctx.addIssue({
          code: 'custom',
          message: 'must be a /regular expression/ with named groups, like /(?<free>\\d+G)/',
        });
      let groups: string[] = [];
      try {
        groups = namedGroups(p);
      } catch {
        return; // the filter check above said why
      }
      if (groups.length === 0)
        ctx.addIssue({
          code: 'custom',
          message: 'has no named group: name what to keep, like (?<free>\\d+G)',
        });
    }),
  )
  .max(MAX_CHECK_PATTERNS, `at most ${MAX_CHECK_PATTERNS} extract patterns`)
  .default([]);
