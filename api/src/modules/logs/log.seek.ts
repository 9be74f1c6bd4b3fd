// Where a time falls in one opened log file, by bisection over byte offsets: a 200 MB file costs a
// few dozen small reads, not a scan. Lines are taken to be in time order (logs mostly are).
import type { OpenLog } from './log.file.js';
import { parseLineTime } from './log.time.js';

const BLOCK = 65536;
const NL = 0x0a;
/** Bytes of a line's head decoded to find its time: an access log's `[` may stand at 120 chars. */
const HEAD = 200;

export interface TimedLine {
  start: number;
  /** Offset just after its newline. */
  end: number;
  time: number;
}

export interface SeekOptions {
  /** A line start to search from (default 0). */
  from?: number;
  /** Search lines starting before this (default the file's size). */
  to?: number;
  /** Reference for year-less (syslog) times; one value per request, so every line agrees. */
  now?: number;
}

/**
 * The start of the first line with a time at or after `t`, between `from` and `to` (`to` when
 * none is). A line without a time belongs with the timed line before it, so the answer is always
 * the start of a timed line. Where times go backwards (a clock stepped back), the bisection finds
 * one of the places where they cross `t`: lines are then in or out of a range by position.
 */
export async function offsetAtTime(file: OpenLog, t: number, o: SeekOptions = {}): Promise<number> {
  let lo = o.from ?? 0; // every timed line starting before lo is earlier than t
  let hi = Math.min(o.to ?? file.size, file.size); // timed lines at or after t start before hi, or none do
  let answer = hi;
  while (hi - lo > BLOCK) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const start = await lineStartFrom(file, mid);
    const probe = start < hi ? await firstTimed(file, start, hi, o.now) : null;
    if (probe === null)
      hi = mid; // no line start in [mid, hi) has a time
    else if (probe.time < t) lo = probe.end;
    else hi = answer = probe.start;
  }
  if (lo >= hi) return answer;
  for await (const line of timedLines(file, lo, hi, o.now)) if (line.time >= t) return line.start;
  return answer;
}

async function firstTimed(
  file: OpenLog,
  from: number,
  to: number,
  now?: number,
): Promise<TimedLine | null> {
  for await (const line of timedLines(file, from, to, now)) return line;
  return null;
}

/** Complete lines starting in [from, to) (`from` a line start) that begin with a time. */
export async function* timedLines(
  file: OpenLog,
  from: number,
  to: number,
  now = Date.now(),
): AsyncGenerator<TimedLine, undefined> {
  const block = Buffer.allocUnsafe(BLOCK);
  const context = { now };
  let start = from;
  while (start < to) {
    const { bytesRead } = await file.fh.read(block, 0, Math.min(BLOCK, file.size - start), start);
    const buf = block.subarray(0, bytesRead);
    let s = 0; // the current line's index in buf
    for (;;) {
      const nl = buf.indexOf(NL, s);
      if (nl === -1 && s > 0) break; // read again from this line's start
      const time = parseLineTime(
        buf.toString('utf8', s, Math.min(nl === -1 ? buf.length : nl, s + HEAD)),
        context,
      );
      // a line longer than a block: its end lies further on (none: unfinished, not a line yet)
      const end = nl === -1 ? await lineEndAfter(file, start + bytesRead) : start + nl + 1;
      if (end === null) return undefined;
      if (time !== null) yield { start: start + s, end, time };
      if (nl === -1 || end >= to) {
        s = end - start;
        break;
      }
      s = nl + 1;
      if (start + s >= to) break;
    }
    start += s;
  }
  return undefined;
}

/** The start of the first line that begins at or after `pos`. */
async function lineStartFrom(file: OpenLog, pos: number): Promise<number> {
  if (pos === 0) return 0;
  return (await lineEndAfter(file, pos - 1)) ?? file.size;
}

/** The offset after the first newline at or after `pos`, or null when there is none. */
async function lineEndAfter(file: OpenLog, pos: number): Promise<number | null> {
  const block = Buffer.allocUnsafe(BLOCK);
  for (let at = pos; at < file.size;) {
    const { bytesRead } = await file.fh.read(block, 0, Math.min(BLOCK, file.size - at), at);
    if (bytesRead === 0) return null;
    const nl = block.subarray(0, bytesRead).indexOf(NL);
    if (nl !== -1) return at + nl + 1;
    at += bytesRead;
  }
  return null;
}
