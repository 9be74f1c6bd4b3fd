// A run's window in a log: the end cursor when it started and when it ended, and the lines
// between them read back later across the source's rotations.
import { lstatSync } from 'node:fs';
import { cursorIn, decodeCursor, encodeCursor, sameLogFile } from '../logs/log.cursor.js';
import type { LineEvent } from '../logs/log.event.js';
import { rangeForward, type RangeOptions } from '../logs/log.range.js';

/**
 * The cursor of the log's end now (the start of the next line written), or null when the file is
 * missing. Synchronous: it is taken just before the process is spawned, so nothing it writes is missed.
 */
export function endCursorNow(path: string): string | null {
  try {
    const st = lstatSync(path);
    if (!st.isFile()) return null; // a symlink planted at the path counts as missing, as for readers
    return encodeCursor(
      cursorIn({ ino: st.ino, born: Math.round(st.birthtimeMs * 1000) }, st.size),
    );
  } catch {
    return null;
  }
}

export interface WindowRead {
  from: string | null;
  to: string | null;
  /** when `from` is null (the file was missing at the start): lines timed from then on */
  since: Date;
  first: number;
}

/**
 * Up to `first` lines written after `from` and up to `to` (everything since, while `to` is null),
 * oldest first. The walk follows rotations (`from`'s file renamed or compressed since).
 */
export async function windowLines(
  path: string,
  w: WindowRead,
  o: RangeOptions = {},
): Promise<LineEvent[]> {
  const after = w.from ? decodeCursor(w.from) : null;
  const to = w.to ? decodeCursor(w.to) : null;
  const range = { since: after ? null : w.since.getTime(), until: null };
  const out: LineEvent[] = [];
  if (w.first === 0) return out;
  let inEndFile = false;
  for await (const event of rangeForward(path, range, { after, before: null }, o)) {
    const here = to !== null && sameLogFile(event.cursor, to);
    if (to !== null && inEndFile && !here) break; // went past the window's last file
    inEndFile ||= here;
    if (here && event.cursor.offset > to.offset) break;
    if (event.kind !== 'LINE') continue;
    out.push(event);
    if (out.length >= w.first || o.signal?.aborted) break;
  }
  return out;
}
