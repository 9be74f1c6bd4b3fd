// What a page or a download of log lines asks for, validated once where it enters (GraphQL or
// HTTP) so both refuse the same things in the same words.
import { BadUserInputError } from '../../errors.js';
import { decodeCursor, type LogCursor } from './log.cursor.js';

/** Most lines one logLines page or one logTail backfill may ask for. */
export const MAX_LINES = 5000;
/** Times a range may name: the epoch to the end of year 9999. */
const EARLIEST = 0;
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export interface TimeRange {
  /** epoch ms, inclusive */
  since: number | null;
  /** epoch ms, exclusive */
  until: number | null;
}

/** Back from `before` (or the range's end), or forward from `after` (or the range's start). */
export type LinePage =
  | { direction: 'back'; n: number; before: LogCursor | null }
  | { direction: 'forward'; n: number; after: LogCursor | null };

export interface LineQueryArgs {
  last?: number | null;
  first?: number | null;
  before?: string | null;
  after?: string | null;
  since?: Date | null;
  until?: Date | null;
}

export function lineCount(value: number, arg: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_LINES) {
    throw new BadUserInputError(`${arg} must be between 0 and ${MAX_LINES}.`, {
      argument: arg,
      max: MAX_LINES,
    });
  }
  return value;
}

/** `first`/`after` page forward, `last`/`before` page back (the default: the last 100 lines). */
export function linePage(args: LineQueryArgs): LinePage {
  const { first, last, after, before } = args;
  if (first != null && last != null)
    throw new BadUserInputError(
      'Give either first (lines after a cursor or a time, oldest first) or last (lines before one), not both.',
    );
  if (after && before) throw new BadUserInputError('Give either after or before, not both.');
  if (after && last != null)
    throw new BadUserInputError('after pages forward: give first with it, not last.');
  if (before && first != null)
    throw new BadUserInputError('before pages back: give last with it, not first.');
  if (first != null || after)
    return {
      direction: 'forward',
      n: lineCount(first ?? 100, 'first'),
      after: after ? decodeCursor(after) : null,
    };
  return {
    direction: 'back',
    n: lineCount(last ?? 100, 'last'),
    before: before ? decodeCursor(before) : null,
  };
}

export function timeRange(args: { since?: Date | null; until?: Date | null }): TimeRange {
  const since = args.since ? dateArg(args.since, 'since') : null;
  const until = args.until ? dateArg(args.until, 'until') : null;
  if (since !== null && until !== null && since >= until)
    throw new BadUserInputError(
      '`since` must be before `until`: give a time range that starts before it ends.',
      { argument: 'since' },
    );
  return { since, until };
}

function dateArg(d: Date, arg: string): number {
  const t = d.getTime();
  if (!Number.isFinite(t) || t < EARLIEST || t > LATEST)
    throw new BadUserInputError(`${arg} must be a date between 1970-01-01 and 9999-12-31.`, {
      argument: arg,
    });
  return t;
}

/** A date-time from a URL's query (the download route), refused in the GraphQL scalar's words. */
export function parseDateParam(value: string | null, arg: string): Date | null {
  if (value === null || value === '') return null;
  const d = new Date(value);
  if (value.length > 64 || Number.isNaN(d.getTime()))
    throw new BadUserInputError(
      `${arg} must be an ISO-8601 date-time, like 2026-12-07T01:02:03Z.`,
      { argument: arg },
    );
  return d;
}
