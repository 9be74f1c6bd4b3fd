// Lines of a source's whole history (current file, `app.log.1`, `app.log.2.gz`…) inside a time range
// and a page: each file's share from log.range-file.ts, files wholly outside the range never read.
import { cursorIn, type LogCursor } from './log.cursor.js';
import type { FollowEvent, LineEvent } from './log.event.js';
import { HistoryWalk, openListed } from './log.history-walk.js';
import { indexOfFile, listHistory, type HistoryFile } from './log.history.js';
import type { LinePage, TimeRange } from './log.query.js';
import {
  firstTime,
  gzBack,
  gzForward,
  plainBack,
  plainForward,
  type PartOptions,
} from './log.range-file.js';
import type { ReadOptions } from './log.reader.js';

export type RangeOptions = ReadOptions;

/**
 * One page of the lines in `range`, oldest first. Forward (from `after`, else `since`, else the
 * oldest file's start): each newer file after a ROTATED event; a cursor of a file that left the
 * history gives ROTATED and the current file from its start, one past its file's end TRUNCATED.
 * Back (from `before`, else the end): into older files while the range goes on; a cursor of a file
 * no longer in the history (or cut short since): [].
 */
export async function readRange(
  path: string,
  range: TimeRange,
  page: LinePage,
  o: RangeOptions = {},
): Promise<FollowEvent[]> {
  if (page.direction === 'back') return rangeBack(path, range, page.n, { before: page.before }, o);
  const out: FollowEvent[] = [];
  if (page.n === 0) return out;
  let lines = 0;
  for await (const event of rangeForward(path, range, { after: page.after, before: null }, o)) {
    out.push(event);
    if ((event.kind === 'LINE' && ++lines >= page.n) || o.signal?.aborted) break;
  }
  return out;
}

/**
 * Every line in `range` after `after` / before `before` (a download), streamed across the history:
 * one file open at a time, read block by block. `before`'s own line is excluded, as in logLines.
 */
export async function* streamRange(
  path: string,
  range: TimeRange,
  cursors: { after: LogCursor | null; before: LogCursor | null },
  o: RangeOptions = {},
): AsyncGenerator<LineEvent, undefined> {
  for await (const event of rangeForward(path, range, cursors, o))
    if (event.kind === 'LINE') yield event;
  return undefined;
}

/**
 * Up to `n` lines in `range` ending before `before` (its own line too with `inclusive`) or at the
 * current end, oldest first, going into older files until the range's start is found in one.
 */
export async function rangeBack(
  path: string,
  range: TimeRange,
  n: number,
  at: { before: LogCursor | null; inclusive?: boolean },
  o: RangeOptions = {},
): Promise<LineEvent[]> {
  const now = Date.now();
  const walk = new HistoryWalk(path, await listHistory(path, o.onRefused), o);
  let i = at.before ? indexOfFile(walk.files, at.before) : 0;
  if (i < 0) return [];
  const pages: LineEvent[][] = [];
  let got = 0;
  let end = at.before?.offset ?? null;
  let key = walk.files[i];
  let shift = 0; // key is the file itself at first, then the newer neighbour of the next one
  while (got < n && i < walk.files.length && !o.signal?.aborted) {
    const opened = await walk.open(i, key, shift);
    if (!opened) break;
    ({ i } = opened);
    const { file } = opened;
    const f = walk.files[i];
    try {
      if (end !== null && !f.compressed && end > file.size) break; // cut short since: nothing older here
      const part: PartOptions = {
        ...o,
        now,
        skipEnd: end !== null && !at.inclusive ? end : undefined,
      };
      const older = i < walk.files.length - 1;
      const { lines, startsHere } = f.compressed
        ? await gzBack(file, end ?? Infinity, n - got, range, older, part)
        : await plainBack(file, end ?? file.size, n - got, range, older, part);
      pages.unshift(lines);
      got += lines.length;
      if (startsHere) break;
    } finally {
      await file.fh.close();
    }
    key = f;
    shift = 1;
    i++;
    end = null;
  }
  return pages.flat();
}

/**
 * The events in `range` from `after` (else from the file `since` falls in, else the oldest file) to
 * `before` (exclusive) or the current end, each newer file after a ROTATED event.
 */
export async function* rangeForward(
  path: string,
  range: TimeRange,
  at: { after: LogCursor | null; before: LogCursor | null },
  o: RangeOptions = {},
): AsyncGenerator<FollowEvent, undefined> {
  const now = Date.now();
  const { after, before } = at;
  const walk = new HistoryWalk(path, await listHistory(path, o.onRefused), o);
  const last = (): number => (before ? indexOfFile(walk.files, before) : 0);
  const stopFile = walk.files[last()];
  // `before` in a file that left the history, or that was cut short since: nothing before it here
  if (!stopFile || (before && !stopFile.compressed && before.offset > stopFile.size)) return;
  let i: number;
  let from = 0;
  let lead: 'ROTATED' | 'TRUNCATED' | null = null;
  let inRange = range.since === null && range.until === null;
  if (after) {
    i = indexOfFile(walk.files, after);
    if (i < 0) [i, lead] = [Math.max(0, last()), 'ROTATED'];
    else if (!walk.files[i].compressed && after.offset > walk.files[i].size) lead = 'TRUNCATED';
    else [from, inRange] = [after.offset, true]; // the lines after a cursor go with the cursor's line
  } else if (range.since !== null) i = await startFile(walk.files, range.since, o, now);
  else i = walk.files.length - 1;
  let key = walk.files[i];
  for (let first = true; ; first = false) {
    if (o.signal?.aborted) return undefined;
    const opened = await walk.open(i, key, 0);
    if (!opened) return undefined;
    ({ i } = opened);
    const { file } = opened;
    const f = walk.files[i];
    try {
      if (lead || !first) yield { kind: lead ?? 'ROTATED', cursor: cursorIn(file, 0) };
      lead = null;
      const stop = last();
      const part: PartOptions = {
        ...o,
        now,
        skipEnd: before && i === stop ? before.offset : undefined,
      };
      const end = part.skipEnd ?? (f.compressed ? Infinity : file.size);
      const read = f.compressed ? gzForward : plainForward;
      const r = yield* read(file, from, end, range, inRange, part);
      inRange = r.inRange;
      if (r.done || i <= stop || i === 0) return undefined;
    } finally {
      await file.fh.close();
    }
    key = walk.files[i - 1];
    i--;
    from = 0;
  }
}

/**
 * The newest file that starts before `since`: older ones lie wholly before it and are never
 * opened (a jump to a time in the current file decompresses nothing). None: the oldest file.
 */
async function startFile(
  files: HistoryFile[],
  since: number,
  o: ReadOptions,
  now: number,
): Promise<number> {
  for (let i = 0; i < files.length; i++) {
    const file = await openListed(files[i], o);
    if (!file) continue;
    try {
      const t = await firstTime(file, files[i].compressed, now);
      if (t !== null && t < since) return i;
    } finally {
      await file.fh.close();
    }
  }
  return files.length - 1;
}
