// The record format of a run's output file: each stored chunk is a frame, a fixed header and the
// chunk's UTF-8 bytes. The CRC covers both, so a reader stops at a frame that is still being
// written (or was cut by a crash) instead of taking it for output.
import { crc32 } from 'node:zlib';
import type { StreamName } from './command-run.entity.js';
import type { LiveChunk } from './command.live-chunk.js';

/** u32 length · u32 seq · f64 at (ms) · u8 stream · 3 bytes zero · u32 crc, little-endian */
export const FRAME_HEADER = 24;
const CRC_AT = 20;
/** the largest frame a reader accepts: chunks are at most 64 KiB (coalescing), with room to spare */
export const FRAME_MAX_DATA = 16 * 1024 * 1024;

const STREAM_CODE: Record<StreamName, number> = { STDOUT: 1, STDERR: 2 };
const STREAM_OF: Record<number, StreamName> = { 1: 'STDOUT', 2: 'STDERR' };

/** One frame as it lies in the file: where its data is, not yet decoded. */
export interface Frame {
  seq: number;
  stream: StreamName;
  at: number;
  /** offsets in the buffer it was parsed from */
  dataStart: number;
  dataEnd: number;
}

/** Frames for `chunks`, back to back in one buffer of its own. */
export function encodeFrames(chunks: readonly LiveChunk[]): Buffer {
  const batch = new FrameBatch();
  for (const c of chunks) batch.push(c, Buffer.byteLength(c.data));
  return Buffer.from(batch.head().frames);
}

export type FrameAt =
  | { frame: Frame; next: number }
  /** the buffer ends inside this frame: read it again from its start, at least `need` bytes */
  | { partial: true; need: number }
  /** not a whole, valid frame: the end of the stored output (or a write under way) */
  | { invalid: true };

/** The frame at `pos` in `buf`. */
export function frameAt(buf: Buffer, pos: number): FrameAt {
  if (buf.length - pos < FRAME_HEADER) return { partial: true, need: FRAME_HEADER };
  const length = buf.readUInt32LE(pos);
  const stream = STREAM_OF[buf.readUInt32LE(pos + 16)];
  if (length > FRAME_MAX_DATA || !stream) return { invalid: true };
  const end = pos + FRAME_HEADER + length;
  if (end > buf.length) return { partial: true, need: FRAME_HEADER + length };
  const crc = crc32(buf.subarray(pos + FRAME_HEADER, end), crc32(buf.subarray(pos, pos + CRC_AT)));
  if (crc !== buf.readUInt32LE(pos + CRC_AT)) return { invalid: true };
  return {
    frame: {
      seq: buf.readUInt32LE(pos + 4),
      stream,
      at: buf.readDoubleLE(pos + 8),
      dataStart: pos + FRAME_HEADER,
      dataEnd: end,
    },
    next: end,
  };
}

/**
 * A run's frames not yet written, encoded back to back into one reused buffer (no allocation per
 * chunk, and the chunks' strings are not kept alive until the write). A write takes `head()`; the
 * buffer is only appended to meanwhile (grown into a new one if need be), and `drop()` after the
 * write moves what came since to the front.
 */
export class FrameBatch {
  private buf = Buffer.allocUnsafe(1024 * 1024);
  /** bytes of frames held, and output bytes in them */
  size = 0;
  bytes = 0;

  /** Encodes `c` (`bytes` its UTF-8 length) after the frames held. */
  push(c: LiveChunk, bytes: number): void {
    const need = this.size + FRAME_HEADER + bytes;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.size);
      this.buf = grown;
    }
    const at = this.size;
    const b = this.buf;
    b.writeUInt32LE(bytes, at);
    b.writeUInt32LE(c.seq, at + 4);
    b.writeDoubleLE(Date.parse(c.at), at + 8);
    b.writeUInt32LE(STREAM_CODE[c.stream], at + 16); // the stream, then 3 zero bytes
    b.write(c.data, at + FRAME_HEADER, bytes, 'utf8');
    const data = b.subarray(at + FRAME_HEADER, need);
    b.writeUInt32LE(crc32(data, crc32(b.subarray(at, at + CRC_AT))), at + CRC_AT);
    this.size = need;
    this.bytes += bytes;
  }

  /** The frames held now, and their output bytes: what one write takes. */
  head(): { frames: Buffer; bytes: number } {
    return { frames: this.buf.subarray(0, this.size), bytes: this.bytes };
  }

  /** After the write of a `head()`: its frames go, the ones pushed since move to the front. */
  drop(taken: { frames: Buffer; bytes: number }): void {
    this.buf.copyWithin(0, taken.frames.length, this.size);
    this.size -= taken.frames.length;
    this.bytes -= taken.bytes;
  }

  /** The chunks held with a seq after `afterSeq`. */
  after(afterSeq: number): LiveChunk[] {
    const view = this.buf.subarray(0, this.size);
    const out: LiveChunk[] = [];
    for (let at = 0; at < view.length;) {
      const r = frameAt(view, at);
      if (!('frame' in r)) break;
      if (r.frame.seq > afterSeq) out.push(chunkOf(view, r.frame));
      at = r.next;
    }
    return out;
  }
}

/** The chunk a frame holds. */
export function chunkOf(buf: Buffer, f: Frame): LiveChunk {
  return {
    seq: f.seq,
    stream: f.stream,
    data: buf.toString('utf8', f.dataStart, f.dataEnd),
    at: new Date(f.at).toISOString(),
  };
}

/** u32 seq · u32 zero · f64 file offset · f64 data offset: where a frame starts, every so often */
export const INDEX_ENTRY = 24;

export interface IndexEntry {
  seq: number;
  /** where the frame starts in the output file */
  offset: number;
  /** output bytes (data only) before it */
  dataOffset: number;
}

export function encodeIndex(entries: readonly IndexEntry[]): Buffer {
  const buf = Buffer.alloc(entries.length * INDEX_ENTRY);
  entries.forEach((e, i) => {
    buf.writeUInt32LE(e.seq, i * INDEX_ENTRY);
    buf.writeDoubleLE(e.offset, i * INDEX_ENTRY + 8);
    buf.writeDoubleLE(e.dataOffset, i * INDEX_ENTRY + 16);
  });
  return buf;
}

/** Whole entries only (a cut last one is ignored). */
export function decodeIndex(buf: Buffer): IndexEntry[] {
  const out: IndexEntry[] = [];
  for (let at = 0; at + INDEX_ENTRY <= buf.length; at += INDEX_ENTRY)
    out.push({
      seq: buf.readUInt32LE(at),
      offset: buf.readDoubleLE(at + 8),
      dataOffset: buf.readDoubleLE(at + 16),
    });
  return out;
}
