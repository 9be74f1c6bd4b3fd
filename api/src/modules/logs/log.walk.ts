// Reading across a source's history: back from a cursor into older files, forward into newer ones.
import { cursorIn, type LogCursor } from './log.cursor.js';
import type { FollowEvent, LineEvent } from './log.event.js';
import { gzLines, gzLinesBackward } from './log.gz.js';
import { indexOfFile, listHistory } from './log.history.js';
import { HistoryWalk } from './log.history-walk.js';
import { rangeBack } from './log.range.js';
import { linesBackward, linesForward, type ReadOptions } from './log.reader.js';

/**
 * Up to `n` lines (accepted by the filter), oldest first, ending before `before` (exclusive; with
 * `inclusive`, its own line too) or at the end of the current file, going on into older rotated
 * files as far as needed. A cursor whose file is in no longer in the history: []. With `since`
 * (epoch ms), only lines from the first one timed at or after it (log.range.ts: bisection per plain
 * file, a streamed scan of a .gz file).
 */
export async function readBack(
  path: string,
  n: number,
  o: ReadOptions & { before?: LogCursor | null; inclusive?: boolean; since?: number } = {},
): Promise<LineEvent[]> {
  // a time floor: the range reader finds it per file, .gz files included
  if (o.since !== undefined)
    return rangeBack(
      path,
      { since: o.since, until: null },
      n,
      { before: o.before ?? null, inclusive: o.inclusive },
      o,
    );
  const walk = new HistoryWalk(path, await listHistory(path, o.onRefused), o);
  let i = o.before ? indexOfFile(walk.files, o.before) : 0;
  if (i < 0) return [];
  const pages: LineEvent[][] = [];
  let got = 0;
  let end: number | null = o.before?.offset ?? null;
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
      const skipEnd = end !== null && !o.inclusive ? end : undefined;
      const page = f.compressed
        ? await gzLinesBackward(file, end ?? Infinity, n - got, { ...o, skipEnd })
        : await linesBackward(file, end ?? file.size, n - got, { ...o, skipEnd });
      pages.unshift(page);
      got += page.length;
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
 * Lines after `after` to the end of its file, then (each after a ROTATED) the newer rotated files
 * and the current one, up to `until` (a cursor: stop there, its line included) or the current end.
 * A cursor whose file is gone: ROTATED, then the current file (or `until`'s) from its start; one
 * past the end of its file (copytruncate): TRUNCATED and that file from its start.
 */
export async function* readForward(
  path: string,
  after: LogCursor,
  o: ReadOptions & { until?: LogCursor | null } = {},
): AsyncGenerator<FollowEvent, undefined> {
  const walk = new HistoryWalk(path, await listHistory(path, o.onRefused), o);
  const stopAt = (): number => (o.until ? indexOfFile(walk.files, o.until) : 0);
  let i = indexOfFile(walk.files, after);
  let from = after.offset;
  if (i < 0) {
    i = Math.max(0, stopAt());
    if (!walk.files[i]) return undefined;
    from = -1; // ROTATED first
  }
  let key = walk.files[i];
  for (;;) {
    if (o.signal?.aborted) return undefined;
    const opened = await walk.open(i, key, 0);
    if (!opened) return undefined;
    ({ i } = opened);
    const { file } = opened;
    const f = walk.files[i];
    try {
      const last = stopAt();
      const to = o.until && last === i ? o.until.offset : f.compressed ? Infinity : file.size;
      if (from < 0 || (!f.compressed && from > file.size)) {
        yield { kind: from < 0 ? 'ROTATED' : 'TRUNCATED', cursor: cursorIn(file, 0) };
        from = 0;
      }
      yield* f.compressed ? gzLines(file, from, to, o) : linesForward(file, from, to, o);
      if (i <= last || i === 0) return undefined;
    } finally {
      await file.fh.close();
    }
    key = walk.files[i - 1];
    i--;
    from = -1;
  }
}
