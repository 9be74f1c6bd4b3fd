// Lines of one log file inside a time range and a page: the byte range from the bisection, then
// read as usual (filters still apply).
import { cursorIn, sameLogFile } from './log.cursor.js';
import type { FollowEvent, LineEvent } from './log.event.js';
import { openLog, type OpenLog, type RefusalSink } from './log.file.js';
import type { LineFilter } from './log.filter.js';
import type { LinePage, TimeRange } from './log.query.js';
import { linesBackward, linesForward } from './log.reader.js';
import { offsetAtTime } from './log.seek.js';

export interface RangeOptions {
  filter?: LineFilter | null;
  onRefused?: RefusalSink;
  signal?: AbortSignal;
}

/** Byte span [from, to) of `file` holding the lines of `range`: whole lines, timed line first. */
export async function byteRange(
  file: OpenLog,
  range: TimeRange,
  now = Date.now(),
): Promise<{ from: number; to: number }> {
  // with a range, lines before the first timed one have no time: they are out of it
  const since = range.since ?? (range.until === null ? null : -Infinity);
  const from = since === null ? 0 : await offsetAtTime(file, since, { now });
  const to =
    range.until === null ? file.size : await offsetAtTime(file, range.until, { from, now });
  return { from, to };
}

/**
 * One page of the lines of `path` in `range`, oldest first. Forward from a cursor of a file that
 * was rotated away (or cut short): a ROTATED (TRUNCATED) event, then from the current file's start.
 * Back from such a cursor: nothing older here, [].
 */
export async function readRange(
  path: string,
  range: TimeRange,
  page: LinePage,
  o: RangeOptions = {},
): Promise<FollowEvent[]> {
  const file = await openLog(path, o.onRefused);
  if (file === null) return [];
  try {
    let { from, to } = await byteRange(file, range);
    const read = { filter: o.filter ?? null };
    if (page.direction === 'back') {
      const { before } = page;
      if (before && (!sameLogFile(before, file) || before.offset > file.size)) return [];
      if (before) to = Math.min(to, before.offset);
      return await linesBackward(file, to, page.n, {
        ...read,
        floor: from,
        skipEnd: before?.offset,
      });
    }
    const out: FollowEvent[] = [];
    const { after } = page;
    if (after && !sameLogFile(after, file))
      out.push({ kind: 'ROTATED', cursor: cursorIn(file, 0) });
    else if (after && after.offset > file.size)
      out.push({ kind: 'TRUNCATED', cursor: cursorIn(file, 0) });
    else if (after) from = Math.max(from, after.offset);
    if (page.n === 0) return out;
    let lines = 0;
    for await (const line of linesForward(file, from, to, read)) {
      out.push(line);
      if (++lines >= page.n || o.signal?.aborted) break;
    }
    return out;
  } finally {
    await file.fh.close();
  }
}

/**
 * Every line of `path` in `range` after `after` / before `before` (a download), streamed: the file
 * is opened once and read block by block. `before`'s own line is excluded, as in logLines.
 */
export async function* streamRange(
  path: string,
  range: TimeRange,
  cursors: { after: LineEvent['cursor'] | null; before: LineEvent['cursor'] | null },
  o: RangeOptions = {},
): AsyncGenerator<LineEvent, undefined> {
  const file = await openLog(path, o.onRefused);
  if (file === null) return undefined;
  try {
    let { from, to } = await byteRange(file, range);
    const { after, before } = cursors;
    if (before && (!sameLogFile(before, file) || before.offset > file.size)) return undefined;
    if (before) to = Math.min(to, before.offset);
    if (after && sameLogFile(after, file) && after.offset <= file.size)
      from = Math.max(from, after.offset);
    const read = { filter: o.filter ?? null, signal: o.signal };
    for await (const line of linesForward(file, from, to, read)) {
      if (o.signal?.aborted) break;
      if (line.cursor.offset !== before?.offset) yield line;
    }
  } finally {
    await file.fh.close();
  }
  return undefined;
}
