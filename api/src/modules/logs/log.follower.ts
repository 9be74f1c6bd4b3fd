// The log tailer: follows a configured path by name across rotation, truncation and re-creation.
import { fstatSync, readSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { cursorIn, sameLogFile, type LogCursor } from './log.cursor.js';
import type { FollowEvent, LineEvent } from './log.event.js';
import {
  idAtNow,
  lineStartBefore,
  openLog,
  sameFile,
  type OpenLog,
  type RefusalSink,
} from './log.file.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type SplitLine } from './log.lines.js';
import { filesBetween, listHistory } from './log.history.js';
import { openListed } from './log.history-walk.js';
import { DirWaker } from './log.wake.js';

export interface FollowOptions {
  /** 'end' (default): only lines completed after now; 'start': from byte 0; a cursor: right after it. */
  startAt?: LogCursor | 'end' | 'start';
  /** Longer lines are cut here (on a UTF-8 boundary) and marked truncated. Default 65536. */
  maxLineBytes?: number;
  /** Fallback poll interval when fs.watch is silent or unavailable. Default 1000 ms. */
  pollMs?: number;
  /** After the path names a new file, the old one must be quiet this long before we switch. Default 250 ms. */
  rotateWaitMs?: number;
  /** Switch to the new file after this long even if the old one still grows. Default 5000 ms. */
  maxRotateWaitMs?: number;
  signal?: AbortSignal;
  /** Hears of an open refused because the path now leads to another file (it is then waited for as missing). */
  onRefused?: RefusalSink;
}

type Resolved = Required<Omit<FollowOptions, 'signal' | 'onRefused'>> &
  Pick<FollowOptions, 'onRefused'>;
type Current = OpenLog & { offset: number; splitter: LineSplitter };

const BLOCK = 65536;
/**
 * Lines handed to the sink in one turn of the event loop. A block of short lines holds more lines
 * than a subscriber's live queue (1,000): handed over whole, it overflowed the queues of clients
 * that keep up (a 100 KB write gave them DROPPED). Between slices their senders drain the queues;
 * only a client that really falls behind still gets DROPPED.
 */
const SLICE = 256;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A running follower in push mode: events go to the sink as they are read. */
export interface LogFollowing {
  /** Stops following and closes the watcher and file descriptors. */
  close(): Promise<void>;
  /** Settles when following stops: on close, or rejected with what failed. */
  readonly done: Promise<void>;
}

/**
 * Follows `path` by name. A missing path (or a symlink, FIFO or directory there) is waited for,
 * never an error and never followed. Lines are emitted only once their newline has arrived.
 * Push mode: `sink` is called synchronously for every event, in order, as soon as it is read
 * (a live line reaches the hub in the same tick as its read, with no promise in between).
 */
export function followInto(
  path: string,
  options: FollowOptions,
  sink: (event: FollowEvent) => void,
): LogFollowing {
  const resolved: Resolved = {
    startAt: options.startAt ?? 'end',
    maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    pollMs: options.pollMs ?? 1000,
    rotateWaitMs: options.rotateWaitMs ?? 250,
    maxRotateWaitMs: options.maxRotateWaitMs ?? 5000,
    onRefused: options.onRefused,
  };
  new LineSplitter(resolved.maxLineBytes); // validates before any I/O starts
  const ac = new AbortController();
  const onAbort = (): void => ac.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const done = follow(path, resolved, ac.signal, sink);
  return {
    done,
    close: async () => {
      ac.abort(); // ends a pending wait, so the loop returns promptly
      options.signal?.removeEventListener('abort', onAbort);
      await done.catch(() => undefined);
    },
  };
}

async function follow(
  path: string,
  o: Resolved,
  signal: AbortSignal,
  emit: (event: FollowEvent) => void,
): Promise<void> {
  const waker = new DirWaker(dirname(path), basename(path));
  const block = Buffer.allocUnsafe(BLOCK);
  let cur: Current | null = null;
  let missingAtStart = false;
  let leaving: { since: number; quietSince: number } | null = null;
  // files newer than `cur`, oldest first, opened (fds held) as soon as seen: drained in turn
  const next: Current[] = [];

  /**
   * Opens the file the path names now and any rotated file we never saw between the last one we
   * hold and it (two rotations faster than we switch); renames what we hold by inode, so lines
   * say where they are now (`app.log.1`).
   */
  async function holdNew(c: Current): Promise<void> {
    const opened = await openLog(path, o.onRefused); // a path now leading elsewhere: keep what we have
    if (opened === null || sameFile(opened, c) || next.some((f) => sameFile(f, opened))) {
      await opened?.fh.close();
      return;
    }
    const files = await listHistory(path);
    const held = [c, ...next];
    for (const f of held) f.name = files.find((h) => sameFile(h, f))?.name ?? f.name;
    const missed = filesBetween(files, held.at(-1)!, opened, (f) =>
      held.some((h) => sameFile(h, f)),
    );
    for (const f of missed) {
      const file = await openListed(f, o);
      if (file)
        next.push({ ...file, name: f.name, offset: 0, splitter: new LineSplitter(o.maxLineBytes) });
    }
    next.push({ ...opened, offset: 0, splitter: new LineSplitter(o.maxLineBytes) });
  }

  const line = (file: OpenLog, l: SplitLine): LineEvent => ({
    kind: 'LINE',
    text: l.text,
    truncated: l.truncated,
    cursor: cursorIn(file, l.end),
    file: file.name,
  });

  /** Reads what was appended: the first read is synchronous, so a live line needs no await at all. */
  function readNow(c: Current): { lines: LineEvent[]; bytes: number } {
    // a live append is small and in the page cache: a threadpool round trip costs milliseconds
    // on a busy host (p99), so the first read is synchronous; a backlog goes on async (drainRest)
    const bytes = readSync(c.fh.fd, block, 0, BLOCK, c.offset);
    const lines = c.splitter.push(block.subarray(0, bytes), c.offset).map((l) => line(c, l));
    c.offset += bytes;
    return { lines, bytes };
  }

  /** Emits `lines` SLICE at a time, a turn of the event loop before each slice after the first. */
  async function emitSliced(lines: LineEvent[]): Promise<void> {
    for (let i = 0; i < lines.length; i += SLICE) {
      if (i > 0) await nextTurn();
      if (signal.aborted) return;
      for (let j = i; j < Math.min(i + SLICE, lines.length); j++) emit(lines[j]);
    }
  }

  async function drainRest(c: Current): Promise<number> {
    let total = 0;
    while (!signal.aborted) {
      const { bytesRead } = await c.fh.read(block, 0, BLOCK, c.offset);
      if (bytesRead === 0) break;
      const lines = c.splitter.push(block.subarray(0, bytesRead), c.offset).map((l) => line(c, l));
      c.offset += bytesRead;
      total += bytesRead;
      await emitSliced(lines);
      if (bytesRead < BLOCK) break; // a short read is the end of the file, for now
    }
    return total;
  }

  try {
    while (!signal.aborted) {
      waker.ensure(); // watch before looking, so a change between look and wait still wakes us
      if (cur === null) {
        const opened = await openLog(path, o.onRefused);
        if (opened === null) {
          missingAtStart = true;
          await waker.wait(o.pollMs, signal);
          continue;
        }
        cur = { ...opened, offset: 0, splitter: new LineSplitter(o.maxLineBytes) };
        // a file that appears after we started is new in full; a cursor still says whether it is the same file
        const first = await startOffset(
          cur,
          missingAtStart && o.startAt === 'end' ? 'start' : o.startAt,
          o.maxLineBytes,
        );
        if (first) emit(first);
      }
      const appended = readNow(cur);
      await emitSliced(appended.lines);
      // the stats below (synchronous, as the first read) wait for the lines just pushed to be sent
      if (appended.lines.length) await nextTurn();
      const grew = appended.bytes + (appended.bytes === BLOCK ? await drainRest(cur) : 0);
      const now = idAtNow(path);
      if (sameFile(now, cur)) {
        leaving = null;
        const { size } = fstatSync(cur.fh.fd);
        if (size < cur.offset) {
          // copytruncate: same inode, shorter than what we read; whatever is there now is new
          const rest = cur.splitter.flush(cur.offset);
          if (rest) emit(line(cur, rest));
          cur.offset = 0;
          emit({ kind: 'TRUNCATED', cursor: cursorIn(cur, 0) });
          continue;
        }
      } else {
        // the path names another file, or none: hold a new one at once, drain the old one first
        if (now !== null && !next.some((f) => sameFile(f, now))) await holdNew(cur);
        if (next.length === 0) {
          leaving = null; // renamed or deleted, nothing new yet: keep the old fd and wait
          await waker.wait(o.pollMs, signal);
          continue;
        }
        // writers may not have reopened yet: switch once the old file has been quiet a while
        const t = Date.now();
        if (leaving === null) leaving = { since: t, quietSince: t };
        else if (grew > 0) leaving.quietSince = t;
        if (t - leaving.quietSince >= o.rotateWaitMs || t - leaving.since >= o.maxRotateWaitMs) {
          const rest = cur.splitter.flush(cur.offset);
          if (rest) emit(line(cur, rest));
          await cur.fh.close();
          cur = next.shift()!;
          leaving = null;
          emit({ kind: 'ROTATED', cursor: cursorIn(cur, 0) });
          continue;
        }
        await waker.wait(Math.min(o.pollMs, o.rotateWaitMs), signal);
        continue;
      }
      await waker.wait(o.pollMs, signal);
    }
  } finally {
    waker.close();
    await cur?.fh.close();
    for (const f of next) await f.fh.close();
  }
}

/** Positions a freshly opened file per `startAt`; returns the event to emit first, if any. */
async function startOffset(
  cur: Current,
  startAt: Resolved['startAt'],
  maxLineBytes: number,
): Promise<FollowEvent | null> {
  if (startAt === 'start') return null;
  if (startAt === 'end') {
    // begin at the start of the unfinished last line, so it is emitted whole once completed
    const start = await lineStartBefore(cur.fh, cur.size, Math.max(2 * maxLineBytes, 1 << 20));
    cur.offset = start ?? cur.size;
    if (start === null) cur.splitter.skipToNextLine();
    return null;
  }
  if (!sameLogFile(startAt, cur)) return { kind: 'ROTATED', cursor: cursorIn(cur, 0) };
  if (startAt.offset > cur.size) return { kind: 'TRUNCATED', cursor: cursorIn(cur, 0) };
  cur.offset = startAt.offset;
  return null;
}
