// Lines of a gzip'd rotated file, streamed through node:zlib: offsets count decompressed bytes.
import { constants, createGunzip } from 'node:zlib';
import { cursorIn } from './log.cursor.js';
import type { LineEvent } from './log.event.js';
import type { OpenLog } from './log.file.js';
import type { LineFilter } from './log.filter.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './log.lines.js';

export interface GzReadOptions {
  filter?: LineFilter | null;
  maxLineBytes?: number;
  signal?: AbortSignal | null;
}

/**
 * Every line of the decompressed file that ends after `from` and at or before `to` (Infinity: to
 * the end), in order. The unterminated last line of a finished file counts as a line, as the
 * follower emits it. A truncated or still-being-written .gz gives what could be decompressed.
 */
export async function* gzLines(
  file: OpenLog,
  from: number,
  to: number,
  options: GzReadOptions = {},
): AsyncGenerator<LineEvent, undefined> {
  const splitter = new LineSplitter(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  // sync flush: a gzip cut short (logrotate still compressing) yields its bytes instead of an error
  const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
  const raw = file.fh.createReadStream({ start: 0, autoClose: false });
  raw.on('error', (err) => gunzip.destroy(err));
  raw.pipe(gunzip);
  const abort = (): void => void gunzip.destroy();
  options.signal?.addEventListener('abort', abort, { once: true });
  const line = (l: { text: string; truncated: boolean; end: number }): LineEvent => ({
    kind: 'LINE',
    text: l.text,
    truncated: l.truncated,
    cursor: cursorIn(file, l.end),
    file: file.name,
  });
  let pos = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      // lines ending at or before `from` were read already (a cursor names a line's end)
      for (const l of splitter.push(chunk, pos)) {
        if (l.end <= from) continue;
        if (l.end > to) return undefined;
        if (!options.filter || options.filter(l.text)) yield line(l);
      }
      pos += chunk.length;
      if (pos > to) break;
    }
    const rest = splitter.flush(pos);
    if (rest && rest.end > from && rest.end <= to && (!options.filter || options.filter(rest.text)))
      yield line(rest);
  } catch (err) {
    if (options.signal?.aborted) return undefined;
    if (!isCorrupt(err)) throw err;
  } finally {
    options.signal?.removeEventListener('abort', abort);
    raw.unpipe(gunzip);
    raw.destroy();
    gunzip.destroy();
  }
  return undefined;
}

/**
 * The last `n` accepted lines ending at or before `end` (exclusive of the line ending exactly at
 * `skipEnd`), oldest first. Streams from the start (gzip cannot be read backwards) keeping a ring
 * of at most `n` lines: never the whole file in memory.
 */
export async function gzLinesBackward(
  file: OpenLog,
  end: number,
  n: number,
  options: GzReadOptions & { skipEnd?: number } = {},
): Promise<LineEvent[]> {
  if (n === 0) return [];
  const ring: LineEvent[] = new Array<LineEvent>(n);
  let count = 0;
  for await (const l of gzLines(file, 0, end, options)) {
    if (l.cursor.offset === options.skipEnd) continue;
    ring[count % n] = l;
    count++;
  }
  if (count <= n) return ring.slice(0, count);
  const head = count % n;
  return [...ring.slice(head), ...ring.slice(0, head)];
}

// zlib's words for a damaged or foreign file: read as far as it goes, never fail the page
function isCorrupt(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code ?? '';
  return code.startsWith('Z_') || code === 'ERR_STREAM_PREMATURE_CLOSE';
}
