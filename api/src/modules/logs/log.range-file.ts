// One file's share of a time range: a plain file by bisection, a .gz file by a streamed scan (gzip
// has no random access: the range's edges are found while decompressing, and reading stops at `until`).
import type { LineEvent } from './log.event.js';
import type { OpenLog } from './log.file.js';
import { gzLines } from './log.gz.js';
import type { TimeRange } from './log.query.js';
import { linesBackward, linesForward, type ReadOptions } from './log.reader.js';
import { offsetAtTime, timedLines } from './log.seek.js';
import { parseLineTime } from './log.time.js';

/** How far into a file its first timed line is looked for: a file with none this early counts as untimed. */
const FIRST_SCAN = 1 << 20;

export interface PartOptions extends ReadOptions {
  /** Reference for year-less (syslog) times: one per request, so every file agrees. */
  now: number;
  /** The line ending exactly here is left out (`before` is exclusive). */
  skipEnd?: number;
}

/** After a forward part: whether its last line was in the range, and whether `until` was reached. */
export interface PartEnd {
  inRange: boolean;
  done: boolean;
}

/** The time of the file's first timed line (within its first MiB), or null. A .gz file: only its head is decompressed. */
export async function firstTime(
  file: OpenLog,
  compressed: boolean,
  now: number,
): Promise<number | null> {
  if (compressed) {
    for await (const line of gzLines(file, 0, FIRST_SCAN)) {
      const t = parseLineTime(line.text, { now });
      if (t !== null) return t;
    }
    return null;
  }
  for await (const line of timedLines(file, 0, Math.min(file.size, FIRST_SCAN), now))
    return line.time;
  return null;
}

const accepts = (line: LineEvent, o: PartOptions): boolean =>
  line.cursor.offset !== o.skipEnd && (!o.filter || o.filter(line.text));

/**
 * The lines of a plain file in `range` that end after `from` and at or before `end`. `inRange`: the
 * line before the file's first (an older file's last) was in the range, so untimed lines at its
 * head (a stack trace cut by the rotation) go with it.
 */
export async function* plainForward(
  file: OpenLog,
  from: number,
  end: number,
  range: TimeRange,
  inRange: boolean,
  o: PartOptions,
): AsyncGenerator<LineEvent, PartEnd> {
  let lo = from;
  let startsHere = inRange;
  if (!inRange) {
    // with a range, lines before the first timed one in it have no time: they are out of it
    const start = await offsetAtTime(file, range.since ?? -Infinity, { now: o.now });
    lo = Math.max(from, start);
    startsHere = start < file.size;
  }
  const to =
    range.until === null
      ? file.size
      : await offsetAtTime(file, range.until, { from: lo, now: o.now });
  const { skipEnd, ...read } = o;
  for await (const line of linesForward(file, lo, Math.min(to, end), read))
    if (line.cursor.offset !== skipEnd) yield line;
  return { inRange: startsHere, done: to < file.size };
}

/** As plainForward for a .gz file: decompressed from its start, each line judged by the last time seen. */
export async function* gzForward(
  file: OpenLog,
  from: number,
  end: number,
  range: TimeRange,
  inRange: boolean,
  o: PartOptions,
): AsyncGenerator<LineEvent, PartEnd> {
  const read = { maxLineBytes: o.maxLineBytes, signal: o.signal };
  for await (const line of gzLines(file, 0, end, read)) {
    const t = parseLineTime(line.text, { now: o.now });
    if (t !== null) {
      if (range.until !== null && t >= range.until) return { inRange, done: true };
      inRange = range.since === null || t >= range.since;
    }
    if (inRange && line.cursor.offset > from && accepts(line, o)) yield line;
  }
  return { inRange, done: false };
}

/** After a backward part: its lines, oldest first, and whether the range starts in this file (older ones are out). */
export interface BackPart {
  lines: LineEvent[];
  startsHere: boolean;
}

/**
 * The last `n` accepted lines of a plain file in `range` ending at or before `end`. `older`: an
 * older file exists, whose last line the untimed lines at this file's head belong to (taken as in
 * the range when this file's first time is: the older line's own time is not read).
 */
export async function plainBack(
  file: OpenLog,
  end: number,
  n: number,
  range: TimeRange,
  older: boolean,
  o: PartOptions,
): Promise<BackPart> {
  const { since, until } = range;
  const first = await firstTime(file, false, o.now);
  const startsHere = since !== null && (first === null || first < since);
  const floor =
    (since === null && until === null) || (older && !startsHere && headIn(first, until))
      ? 0
      : await offsetAtTime(file, since ?? -Infinity, { now: o.now });
  const to =
    until === null ? file.size : await offsetAtTime(file, until, { from: floor, now: o.now });
  const lines = await linesBackward(file, Math.min(to, end), n, { ...o, floor });
  return { lines, startsHere };
}

/** As plainBack for a .gz file: streamed to `end` or the first line timed at `until`, keeping a ring of `n` lines. */
export async function gzBack(
  file: OpenLog,
  end: number,
  n: number,
  range: TimeRange,
  older: boolean,
  o: PartOptions,
): Promise<BackPart> {
  const { since, until } = range;
  const ring = new Ring<LineEvent>(n);
  const head = new Ring<LineEvent>(n); // untimed lines before the first timed one: kept if it is in range
  let first: number | null = null;
  let inRange = false;
  const read = { maxLineBytes: o.maxLineBytes, signal: o.signal };
  for await (const line of gzLines(file, 0, end, read)) {
    const t = parseLineTime(line.text, { now: o.now });
    if (t !== null) {
      if (first === null) {
        first = t;
        if (older && (since === null || t >= since) && headIn(t, until)) ring.pushAll(head.items());
      }
      if (until !== null && t >= until) break;
      inRange = since === null || t >= since;
    }
    if (!accepts(line, o)) continue;
    if (first === null) head.push(line);
    else if (inRange) ring.push(line);
  }
  if (first === null && older && since === null) ring.pushAll(head.items());
  return { lines: ring.items(), startsHere: since !== null && (first === null || first < since) };
}

// a file's untimed head goes with an older file's last line: taken as in the range unless this file starts at `until`
const headIn = (first: number | null, until: number | null): boolean =>
  until === null || (first !== null && first < until);

/** The last `n` items pushed, oldest first: never more than `n` held. */
class Ring<T> {
  private readonly buf: T[] = [];
  private count = 0;
  constructor(private readonly n: number) {}
  push(item: T): void {
    if (this.n === 0) return;
    this.buf[this.count % this.n] = item;
    this.count++;
  }
  pushAll(items: T[]): void {
    for (const item of items) this.push(item);
  }
  items(): T[] {
    if (this.count <= this.n) return this.buf.slice(0, this.count);
    const at = this.count % this.n;
    return [...this.buf.slice(at), ...this.buf.slice(0, at)];
  }
}
