// History without reading whole files: the last lines by scanning back in blocks, or lines after a cursor.
import { cursorIn, type LogCursor } from './log.cursor.js';
import type { FollowEvent, LineEvent } from './log.event.js';
import { openLog, type OpenLog, type RefusalSink } from './log.file.js';
import type { LineFilter } from './log.filter.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, decodeLine } from './log.lines.js';
import { scanBackward, scanForward } from './log.scan.js';
import { readBack, readForward } from './log.walk.js';

export interface ReadOptions {
  /** Only lines it accepts are returned (and counted towards `n`). Compile user input with compileFilter. */
  filter?: LineFilter | null;
  maxLineBytes?: number;
  /** Hears of a path that now leads to another file (read as missing). */
  onRefused?: RefusalSink;
  /** A filtered read stops when this aborts (the client went away) and returns what it found. */
  signal?: AbortSignal | null;
}

const BLOCK = 65536;
const NL = 0x0a;

/**
 * Up to `n` complete lines, oldest first, ending at the current file's end, or strictly before
 * `before` (the line that cursor names is excluded), going on into the rotated files (log.history.ts)
 * as far as needed. A cursor whose file has left the history, or now shorter than the cursor: [].
 */
export async function readLastLines(
  path: string,
  n: number,
  options: ReadOptions & { before?: LogCursor | null } = {},
): Promise<LineEvent[]> {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  return readBack(path, n, options);
}

/**
 * Complete lines after `cursor` up to the current file's size when opened (the live follower
 * takes over from there). A cursor into a rotated file drains the rest of it (found by inode),
 * then each newer file after a ROTATED; a cursor whose file is gone gives ROTATED and the current
 * file from byte 0, one past its file's end TRUNCATED and that file from byte 0.
 */
export async function* readAfter(
  path: string,
  cursor: LogCursor | null,
  options: ReadOptions = {},
): AsyncGenerator<FollowEvent, undefined> {
  if (cursor) return yield* readForward(path, cursor, options);
  const file = await openLog(path, options.onRefused);
  if (file === null) return undefined;
  try {
    yield* linesForward(file, 0, file.size, options);
  } finally {
    await file.fh.close();
  }
  return undefined;
}

/** Lines that start at or after `from` and end (newline included) at or before `to`; a filter reads through log.scan.ts. */
export async function* linesForward(
  file: OpenLog,
  from: number,
  to: number,
  options: ReadOptions = {},
): AsyncGenerator<LineEvent, undefined> {
  const { filter } = options;
  if (filter) return yield* scanForward(file, from, to, { ...options, filter });
  const splitter = new LineSplitter(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const block = Buffer.allocUnsafe(BLOCK);
  for (let pos = from; pos < to && !options.signal?.aborted;) {
    const { bytesRead } = await file.fh.read(block, 0, Math.min(BLOCK, to - pos), pos);
    if (bytesRead === 0) break; // shrank under us: stop at what exists
    for (const l of splitter.push(block.subarray(0, bytesRead), pos))
      yield {
        kind: 'LINE',
        text: l.text,
        truncated: l.truncated,
        cursor: cursorIn(file, l.end),
        file: file.name,
      };
    pos += bytesRead;
  }
  return undefined;
}

/**
 * The last `n` accepted lines ending at or before `end`, oldest first (filtered: log.scan.ts). Scans back block by block and
 * keeps at most one block plus one capped line in memory; a long line's head is read separately.
 */
export async function linesBackward(
  file: OpenLog,
  end: number,
  n: number,
  options: ReadOptions & { skipEnd?: number; floor?: number } = {},
): Promise<LineEvent[]> {
  const { filter } = options;
  if (filter) return scanBackward(file, end, n, { ...options, filter });
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const floor = options.floor ?? 0; // a line start: lines before it are not read (a time range's start)
  const out: LineEvent[] = [];
  let buf = Buffer.alloc(0);
  let bufStart = end; // buf holds the file's bytes [bufStart, bufStart + buf.length)
  let lineEnd: number | null = null; // end of the line being delimited; null until the first newline
  let searchBelow = end;

  const emit = async (start: number, stop: number): Promise<void> => {
    if (stop === options.skipEnd) return; // `before` is exclusive
    const len = stop - 1 - start; // newline excluded
    const headLen = Math.min(len, max + 1);
    let head: Buffer;
    if (start >= bufStart && start + headLen <= bufStart + buf.length)
      head = buf.subarray(start - bufStart, start - bufStart + headLen);
    else {
      head = Buffer.allocUnsafe(headLen);
      const { bytesRead } = await file.fh.read(head, 0, headLen, start);
      head = head.subarray(0, bytesRead);
    }
    const { text, truncated } = decodeLine(head, len > max + 1, max);
    out.push({ kind: 'LINE', text, truncated, cursor: cursorIn(file, stop), file: file.name });
  };

  while (out.length < n) {
    const idx = searchBelow > bufStart ? buf.lastIndexOf(NL, searchBelow - bufStart - 1) : -1;
    if (idx === -1) {
      if (bufStart <= floor) {
        if (lineEnd !== null && lineEnd > floor) await emit(floor, lineEnd);
        break;
      }
      const from = Math.max(floor, bufStart - BLOCK);
      const block = Buffer.allocUnsafe(bufStart - from);
      const { bytesRead } = await file.fh.read(block, 0, block.length, from);
      if (bytesRead < block.length) break; // shrank under us
      // keep the current line's bytes only while it is short; a long one is re-read from its start
      const tail =
        lineEnd !== null && lineEnd - bufStart <= max + 1
          ? buf.subarray(0, lineEnd - bufStart)
          : null;
      buf = tail ? Buffer.concat([block, tail]) : block;
      bufStart = from;
      continue;
    }
    const nl = bufStart + idx;
    if (lineEnd !== null) await emit(nl + 1, lineEnd);
    lineEnd = nl + 1;
    searchBelow = nl;
  }
  return out.slice(0, n).reverse();
}
