// Where a run's whole output lives: one append-only file per run under DATA_DIR/output, framed so
// that a reader (on any instance sharing the folder) never takes a half-written record for output,
// and a sparse index beside it so that a replay from any seq or byte starts near its place.
import { mkdir, open, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { LiveChunk } from './command.live-chunk.js';
import {
  chunkOf,
  decodeIndex,
  encodeIndex,
  FRAME_HEADER,
  frameAt,
  type Frame,
  type IndexEntry,
} from './output.frame.js';

/** The output folder inside DATA_DIR; several instances share it as they share uploads. */
export const OUTPUT_FOLDER = 'output';
// an index entry at most this far apart: a seek reads at most about this much before its place
const INDEX_EVERY = 256 * 1024;
const BLOCK = 1024 * 1024;
// chunks are joined up to 64 KiB (command.output.ts): a page of n chunks is about n of these at most
const CHUNK_MAX = 64 * 1024 + FRAME_HEADER;

/** Where a reader stopped: the frame after `seq` starts at `offset`. */
export interface ReadPosition {
  seq: number;
  offset: number;
}

export interface ReadLimits {
  maxChunks: number;
  /** stop once this many bytes of output are read (at least one chunk is) */
  maxBytes: number;
}

/** What an output file holds, read to its last whole frame. */
export interface StoredExtent {
  lastSeq: number;
  bytes: number;
  /** where the whole frames end in the file */
  end: number;
}

export class OutputStore {
  constructor(readonly dir: string) {}

  static inDataDir(dataDir: string): OutputStore {
    return new OutputStore(path.join(dataDir, OUTPUT_FOLDER));
  }

  /** `output/ab/abcdef…-….out`: the first two characters of the id fan the files out. */
  pathOf(runId: string): string {
    return path.join(this.dir, runId.slice(0, 2), `${runId}.out`);
  }

  /** The sparse index beside it (`.idx`); a missing or short one only makes seeks read more. */
  indexPathOf(runId: string): string {
    return path.join(this.dir, runId.slice(0, 2), `${runId}.idx`);
  }

  /** A new run's (empty) output file, private to the server's user. */
  async create(runId: string): Promise<OutputWriter> {
    await mkdir(path.dirname(this.pathOf(runId)), { recursive: true, mode: 0o700 });
    const data = await open(this.pathOf(runId), 'w', 0o600);
    try {
      return new OutputWriter(data, await open(this.indexPathOf(runId), 'w', 0o600));
    } catch (err) {
      await data.close();
      throw err;
    }
  }

  /**
   * Chunks after `afterSeq` in seq order, within `limits`, and where the next read goes on. A run
   * with no file has no stored output. `from` (a previous read's position) skips the index lookup.
   */
  async read(
    runId: string,
    afterSeq: number,
    limits: ReadLimits,
    from?: ReadPosition,
  ): Promise<{ chunks: LiveChunk[]; next: ReadPosition }> {
    const fd = await openIfThere(this.pathOf(runId));
    if (!fd) return { chunks: [], next: { seq: afterSeq, offset: 0 } };
    try {
      const start =
        from && from.seq === afterSeq
          ? from.offset
          : (await this.seekEntry(runId, (e) => e.seq <= afterSeq + 1, fd)).offset;
      const chunks: LiveChunk[] = [];
      const next: ReadPosition = { seq: afterSeq, offset: start };
      let bytes = 0;
      // a small page reads a small block (a larger frame is read whole all the same)
      const wanted = Math.min(limits.maxBytes, limits.maxChunks * CHUNK_MAX) + FRAME_HEADER;
      const block = Math.min(BLOCK, Math.max(4096, wanted));
      for await (const { buf, frames, base } of blocks(fd, start, block)) {
        for (const f of frames) {
          next.offset = base + f.dataEnd;
          if (f.seq <= afterSeq) continue;
          next.seq = f.seq;
          chunks.push(chunkOf(buf, f));
          bytes += f.dataEnd - f.dataStart;
          if (chunks.length >= limits.maxChunks || bytes >= limits.maxBytes)
            return { chunks, next };
        }
      }
      return { chunks, next };
    } finally {
      await fd.close();
    }
  }

  /**
   * The output as stored, from byte `start` of its data on: each frame's bytes, in order, as
   * buffers that are not reused (safe to hand to a socket).
   */
  async *bytes(
    runId: string,
    start = 0,
  ): AsyncGenerator<{ stream: Frame['stream']; data: Buffer }> {
    const fd = await openIfThere(this.pathOf(runId));
    if (!fd) return;
    try {
      const entry = await this.seekEntry(runId, (e) => e.dataOffset <= start);
      let dataAt = entry.dataOffset;
      for await (const { buf, frames } of blocks(fd, entry.offset, BLOCK)) {
        for (const f of frames) {
          const length = f.dataEnd - f.dataStart;
          const from = Math.max(0, start - dataAt);
          dataAt += length;
          if (from < length)
            yield { stream: f.stream, data: buf.subarray(f.dataStart + from, f.dataEnd) };
        }
      }
    } finally {
      await fd.close();
    }
  }

  /**
   * What a run's file holds up to its last whole frame. With `cut` (no one can be writing it: the
   * server that ran it is gone), a torn tail is cut off and the index cleared of entries past it.
   * Null when there is no file.
   */
  async extent(runId: string, cut = false): Promise<StoredExtent | null> {
    const fd = await openIfThere(this.pathOf(runId), cut ? 'r+' : 'r');
    if (!fd) return null;
    try {
      let extent = await scanExtent(fd, await this.seekEntry(runId, () => true, fd));
      // an entry whose frame is not whole after all (a cut file): read from the start instead
      if (extent.lastSeq === 0 && extent.end > 0)
        extent = await scanExtent(fd, { seq: 0, offset: 0, dataOffset: 0 });
      const { end } = extent;
      if (cut && (await fd.stat()).size > end) {
        await fd.truncate(end);
        await fd.datasync();
        const index = (await this.index(runId)).filter((e) => e.offset < end);
        const idx = await open(this.indexPathOf(runId), 'w', 0o600);
        await idx.write(encodeIndex(index));
        await idx.close();
      }
      return extent;
    } finally {
      await fd.close();
    }
  }

  /** Deletes a run's output and index; the bytes it freed (0 when there was none). */
  async remove(runId: string): Promise<number> {
    let freed = 0;
    for (const file of [this.pathOf(runId), this.indexPathOf(runId)]) {
      const size = await stat(file).then(
        (s) => s.size,
        () => 0,
      );
      await unlink(file).then(
        () => (freed += size),
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        },
      );
    }
    return freed;
  }

  private async index(runId: string): Promise<IndexEntry[]> {
    const buf = await readFile(this.indexPathOf(runId)).catch(() => Buffer.alloc(0));
    return decodeIndex(buf);
  }

  /**
   * The last index entry that `fits` and points at a whole frame (checked: an entry may be newer
   * than a cut file); the file's start when none does.
   */
  private async seekEntry(
    runId: string,
    fits: (e: IndexEntry) => boolean,
    handle?: FileHandle,
  ): Promise<IndexEntry> {
    const entries = await this.index(runId);
    let lo = 0;
    let hi = entries.length; // entries grow in seq, offset and data offset alike: bisect on `fits`
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (fits(entries[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    const fd = handle ?? (await openIfThere(this.pathOf(runId)));
    try {
      for (let i = lo - 1; i >= 0 && fd; i--) {
        const e = entries[i]!;
        const head = Buffer.alloc(FRAME_HEADER);
        const { bytesRead } = await fd.read(head, 0, FRAME_HEADER, e.offset);
        if (bytesRead === FRAME_HEADER && head.readUInt32LE(4) === e.seq) return e;
      }
    } finally {
      if (!handle) await fd?.close();
    }
    return { seq: 0, offset: 0, dataOffset: 0 };
  }
}

/**
 * Appends a run's frames, one write per batch; its index entries follow the data they point at, so
 * an entry never points past what is written. A failed or short write is cut back: nothing
 * half-written stays for the next batch to follow.
 */
export class OutputWriter {
  private position = 0;
  private dataBytes = 0;
  private indexPosition = 0;
  private indexedAt = -INDEX_EVERY;

  constructor(
    private readonly fd: FileHandle,
    private readonly idx: FileHandle,
  ) {}

  /** Frames encoded back to back (output.frame.ts), in seq order: one write. */
  async append(frames: Buffer): Promise<void> {
    if (!frames.length) return;
    const entries: IndexEntry[] = [];
    let data = this.dataBytes;
    let at = this.position;
    for (let p = 0; p < frames.length;) {
      const length = frames.readUInt32LE(p);
      if (at - this.indexedAt >= INDEX_EVERY) {
        this.indexedAt = at;
        entries.push({ seq: frames.readUInt32LE(p + 4), offset: at, dataOffset: data });
      }
      data += length;
      at += FRAME_HEADER + length;
      p += FRAME_HEADER + length;
    }
    const size = at - this.position;
    try {
      const { bytesWritten } = await this.fd.write(frames, 0, size, this.position);
      if (bytesWritten !== size) throw new Error(`short write (${bytesWritten} of ${size} bytes)`);
    } catch (err) {
      await this.fd.truncate(this.position).catch(() => {});
      if (entries.length) this.indexedAt = entries[0]!.offset - INDEX_EVERY;
      throw err;
    }
    this.position = at;
    this.dataBytes = data;
    if (entries.length) {
      const index = encodeIndex(entries);
      // best effort: a missing entry only makes a seek start earlier
      await this.idx.write(index, 0, index.length, this.indexPosition).then(
        () => (this.indexPosition += index.length),
        () => {},
      );
    }
  }

  /** The output is on disk (not only in the page cache), and the files are closed. */
  async close(): Promise<void> {
    try {
      await this.fd.datasync();
    } finally {
      await this.fd.close();
      await this.idx.close();
    }
  }
}

/** The last whole frame from `entry` on; `lastSeq` 0 when there is none there. */
async function scanExtent(fd: FileHandle, entry: IndexEntry): Promise<StoredExtent> {
  const extent = { lastSeq: 0, bytes: entry.dataOffset, end: entry.offset };
  for await (const { frames, base } of blocks(fd, entry.offset, BLOCK))
    for (const f of frames) {
      extent.lastSeq = f.seq;
      extent.bytes += f.dataEnd - f.dataStart;
      extent.end = base + f.dataEnd;
    }
  return extent;
}

async function openIfThere(file: string, flags = 'r'): Promise<FileHandle | null> {
  try {
    return await open(file, flags);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * The whole, valid frames from `start` on, a block at a time; stops at the end of the file or at
 * the first frame that is cut or fails its CRC (a write under way, or a crash's torn tail).
 */
async function* blocks(
  fd: FileHandle,
  start: number,
  size: number,
): AsyncGenerator<{ buf: Buffer; frames: Frame[]; base: number }> {
  let pos = start;
  let want = size;
  for (;;) {
    const buf = Buffer.allocUnsafe(want);
    const { bytesRead } = await fd.read(buf, 0, want, pos);
    if (!bytesRead) return;
    const view = buf.subarray(0, bytesRead);
    const frames: Frame[] = [];
    let at = 0;
    let need = 0;
    let stop = false;
    for (;;) {
      const r = frameAt(view, at);
      if ('frame' in r) {
        frames.push(r.frame);
        at = r.next;
      } else {
        if ('invalid' in r || bytesRead < want) stop = true;
        else need = r.need;
        break;
      }
    }
    if (frames.length) yield { buf: view, frames, base: pos };
    if (stop) return;
    pos += at;
    // one frame larger than a block: read it whole
    want = at === 0 ? Math.max(need, size) : size;
  }
}
