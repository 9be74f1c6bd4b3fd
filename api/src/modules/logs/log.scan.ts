// Filtered search over a file in big blocks: the filter's byte search runs on raw bytes, and only the
// lines it points at are decoded and checked alone. Same lines and cursors as decoding every line.
import { isUtf8 } from 'node:buffer';
import type RE2 from 're2';
import { cursorIn } from './log.cursor.js';
import type { LineEvent } from './log.event.js';
import { lineStartBefore, type OpenLog } from './log.file.js';
import type { LineFilter } from './log.filter.js';
import { DEFAULT_MAX_LINE_BYTES, decodeLine } from './log.lines.js';

export const SCAN_BLOCK = 1 << 20;
const NL = 0x0a;

export interface ScanOptions {
  filter: LineFilter;
  maxLineBytes?: number;
  /** Stops reading when aborted (the client went away); what was found so far is returned. */
  signal?: AbortSignal | null;
  /** Bytes per read; tests make it small to put lines across block edges. */
  blockSize?: number;
}

/** A line [start, stop) of a region (stop is just after its newline), relative to the region. */
type Span = [start: number, stop: number];

/**
 * The last `n` matching lines ending at or before `end` (a partial line there is left out), oldest
 * first; the line ending exactly at `skipEnd` is left out (`before` is exclusive).
 */
export async function scanBackward(
  file: OpenLog,
  end: number,
  n: number,
  o: ScanOptions & { skipEnd?: number; floor?: number },
): Promise<LineEvent[]> {
  const out: LineEvent[] = []; // newest first
  const buf = Buffer.allocUnsafe(o.blockSize ?? SCAN_BLOCK);
  const floor = o.floor ?? 0; // a line start: lines before it are not read (a time range's start)
  let hi = (await lineStartBefore(file.fh, end, Infinity)) ?? 0; // after the last newline
  while (out.length < n && hi > floor && !o.signal?.aborted) {
    const lo = Math.max(floor, hi - buf.length);
    const { bytesRead } = await file.fh.read(buf, 0, hi - lo, lo);
    if (bytesRead < hi - lo) break; // shrank under us
    // bytes before the first newline belong to a line that starts before this block
    const from = lo === floor ? 0 : buf.indexOf(NL) + 1;
    if (from === hi - lo) {
      // the line ending at `hi` is longer than a block: found, and checked, on its own
      const start = (await lineStartBefore(file.fh, hi - 1, Infinity)) ?? 0;
      const line = await longLine(file, start, hi, o);
      if (line && hi !== o.skipEnd) out.push(line);
      hi = start;
      continue;
    }
    const region = buf.subarray(from, hi - lo);
    for (const [s, e] of candidates(region, o, true)) {
      if (lo + from + e === o.skipEnd) continue;
      const line = check(file, region, lo + from, s, e, o);
      if (line && out.push(line) >= n) break;
    }
    hi = lo + from;
  }
  return out.reverse();
}

/** Matching lines that start at or after `from` and end (newline included) at or before `to`. */
export async function* scanForward(
  file: OpenLog,
  from: number,
  to: number,
  o: ScanOptions,
): AsyncGenerator<LineEvent, undefined> {
  const buf = Buffer.allocUnsafe(o.blockSize ?? SCAN_BLOCK);
  for (let pos = from; pos < to && !o.signal?.aborted;) {
    const { bytesRead } = await file.fh.read(buf, 0, Math.min(buf.length, to - pos), pos);
    if (bytesRead === 0) break; // shrank under us: stop at what exists
    const last = buf.lastIndexOf(NL, bytesRead - 1);
    if (last === -1) {
      // a line longer than a block, or the unfinished one at `to`
      const nl = await newlineAfter(file, pos + bytesRead, to, buf.length);
      if (nl === -1) break;
      const line = await longLine(file, pos, nl + 1, o);
      if (line) yield line;
      pos = nl + 1;
      continue;
    }
    const region = buf.subarray(0, last + 1);
    for (const [s, e] of candidates(region, o, false)) {
      const line = check(file, region, pos, s, e, o);
      if (line) yield line;
    }
    pos += last + 1;
  }
  return undefined;
}

/**
 * The lines of `region` (whole lines) that may match, in reading order (`backward`: last first).
 * Every matching line is among them; a line is only a match once `check` has seen it.
 */
function candidates(region: Buffer, o: ScanOptions, backward: boolean): Iterable<Span> {
  const search = o.filter.bytes;
  if (!search) return everyLine(region, backward);
  if ('literal' in search) return literalHits(region, search.literal, backward);
  // RE2 sees no U+FFFD where the text has one, nor a line's end where the text is cut: check all
  const max = o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!isUtf8(region) || hasLongLine(region, max)) return everyLine(region, backward);
  return regexHits(region, search.regex, backward);
}

function* everyLine(region: Buffer, backward: boolean): Generator<Span> {
  if (!backward)
    for (let s = 0; s < region.length;) {
      const e = region.indexOf(NL, s) + 1;
      yield [s, e];
      s = e;
    }
  else
    for (let e = region.length; e > 0;) {
      const s = lineStart(region, e - 1);
      yield [s, e];
      e = s;
    }
}

/** Lines holding an occurrence of `literal` (Buffer.indexOf: memchr and Boyer-Moore-Horspool). */
function* literalHits(region: Buffer, literal: Buffer, backward: boolean): Generator<Span> {
  if (!backward)
    for (let from = 0; from < region.length;) {
      const p = region.indexOf(literal, from);
      if (p === -1) return;
      const e = region.indexOf(NL, p) + 1 || region.length;
      yield [lineStart(region, p), e];
      from = e;
    }
  else
    for (let to = region.length; to > 0;) {
      const p = region.lastIndexOf(literal, to - 1);
      if (p === -1) return;
      const s = lineStart(region, p);
      yield [s, region.indexOf(NL, p) + 1 || region.length];
      to = s;
    }
}

/**
 * Lines where the regex may match, by halving: a run of lines RE2 finds nothing in (its last
 * newline left out) holds no match; one where it finds something is split at a line boundary near
 * its middle, down to single lines. A match across a newline (`\s`, `[^x]`) costs only the halving.
 */
function* regexHits(region: Buffer, re: RE2, backward: boolean): Generator<Span> {
  const stack: Span[] = [[0, region.length]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    if (!re.test(region.subarray(a, b - 1))) continue;
    const split = boundaryNear(region, a, b);
    if (split === -1) yield [a, b];
    else if (backward) stack.push([a, split], [split, b]);
    else stack.push([split, b], [a, split]);
  }
}

/** The start of the line holding byte `p` of `bytes`. */
function lineStart(bytes: Buffer, p: number): number {
  return p === 0 ? 0 : bytes.lastIndexOf(NL, p - 1) + 1;
}

/** A line start strictly inside [a, b) near its middle, or -1 when [a, b) is one line. */
function boundaryNear(region: Buffer, a: number, b: number): number {
  const mid = a + ((b - a) >>> 1);
  const after = region.indexOf(NL, mid);
  if (after + 1 < b) return after + 1;
  const before = lineStart(region, mid);
  return before > a ? before : -1;
}

/**
 * Whether a line may be longer than the `max` bytes shown: such a line covers a whole aligned
 * window of half that size, so a window without a newline is the sign (false alarms are only slower).
 */
function hasLongLine(region: Buffer, max: number): boolean {
  const w = Math.floor((max + 2) / 2);
  for (let k = 0; k + w <= region.length; k += w) {
    const p = region.indexOf(NL, k);
    if (p === -1 || p >= k + w) return true;
  }
  return false;
}

/** The line [s, e) of `region` (which starts at file offset `at`) as shown, if the filter accepts it. */
function check(
  file: OpenLog,
  region: Buffer,
  at: number,
  s: number,
  e: number,
  o: ScanOptions,
): LineEvent | null {
  const max = o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const len = e - 1 - s; // newline excluded
  const head = region.subarray(s, s + Math.min(len, max + 1));
  return accept(file, head, len > max + 1, at + e, o);
}

/** A line too long for one block: its head is read on its own. */
async function longLine(
  file: OpenLog,
  start: number,
  stop: number,
  o: ScanOptions,
): Promise<LineEvent | null> {
  const max = o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const len = stop - 1 - start;
  const head = Buffer.allocUnsafe(Math.min(len, max + 1));
  const { bytesRead } = await file.fh.read(head, 0, head.length, start);
  return accept(file, head.subarray(0, bytesRead), len > max + 1, stop, o);
}

function accept(
  file: OpenLog,
  head: Buffer,
  overflow: boolean,
  stop: number,
  o: ScanOptions,
): LineEvent | null {
  const { text, truncated } = decodeLine(head, overflow, o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  return o.filter(text)
    ? { kind: 'LINE', text, truncated, cursor: cursorIn(file, stop), file: file.name }
    : null;
}

/** Offset of the first newline in [from, to), or -1. */
async function newlineAfter(file: OpenLog, from: number, to: number, size: number) {
  const block = Buffer.allocUnsafe(Math.min(size, 65536));
  for (let pos = from; pos < to;) {
    const { bytesRead } = await file.fh.read(block, 0, Math.min(block.length, to - pos), pos);
    if (bytesRead === 0) return -1;
    const nl = block.subarray(0, bytesRead).indexOf(NL);
    if (nl !== -1) return pos + nl;
    pos += bytesRead;
  }
  return -1;
}
