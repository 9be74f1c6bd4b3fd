// Built-in processors: facts read from a stored file's header or index, never by decoding or
// extracting it. Each reads a bounded number of bytes, whatever the file's size.
import { stripUnsafe } from './file.name.js';

export const PREVIEW_CHARS = 2000;
const MAX_NAMES = 100;
const MAX_TAR_ENTRIES = 10_000;
const MAX_CENTRAL_DIRECTORY = 4 * 1024 * 1024;

export interface ImageFacts {
  format: string;
  width: number;
  height: number;
}
export interface ArchiveFacts {
  format: string;
  entries: number | null;
  names: string[];
  uncompressedBytes?: number | null;
}
export interface Facts {
  preview?: string;
  previewTruncated?: boolean;
  image?: ImageFacts | null;
  archive?: ArchiveFacts;
}

/** Up to `length` bytes at `position` (fewer at the end): a file handle's read, or a ranged GET. */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

export async function readFacts(read: ReadAt, mimeType: string, size: number): Promise<Facts> {
  if (mimeType.startsWith('text/')) return textPreview(await read(0, PREVIEW_CHARS * 4), size);
  if (mimeType.startsWith('image/'))
    return { image: imageSize(await read(0, 1024 * 1024), mimeType) };
  if (mimeType === 'application/zip') return { archive: await zipListing(read, size) };
  if (mimeType === 'application/x-tar') return { archive: await tarListing(read, size) };
  return {};
}

export function textPreview(head: Buffer, size: number): Facts {
  // a cut in the middle of a character decodes to U+FFFD at the end: dropped
  const text = new TextDecoder('utf-8').decode(head).replace(/\ufffd+$/, '');
  const chars = [...text];
  const preview = chars.slice(0, PREVIEW_CHARS).join('');
  return { preview, previewTruncated: chars.length > PREVIEW_CHARS || head.length < size };
}

/** Dimensions from the header of PNG, GIF, JPEG, WebP and BMP; null when the header is not understood. */
export function imageSize(b: Buffer, mimeType: string): ImageFacts | null {
  const format = mimeType.slice(6);
  const sized = (width: number, height: number) =>
    width > 0 && height > 0 ? { format, width, height } : null;
  if (mimeType === 'image/png' && b.length >= 24 && b.toString('latin1', 12, 16) === 'IHDR')
    return sized(b.readUInt32BE(16), b.readUInt32BE(20));
  if (mimeType === 'image/gif' && b.length >= 10)
    return sized(b.readUInt16LE(6), b.readUInt16LE(8));
  if (mimeType === 'image/bmp' && b.length >= 26)
    return sized(Math.abs(b.readInt32LE(18)), Math.abs(b.readInt32LE(22)));
  if (mimeType === 'image/webp' && b.length >= 30) {
    const chunk = b.toString('latin1', 12, 16);
    if (chunk === 'VP8 ') return sized(b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
    if (chunk === 'VP8L') {
      const bits = b.readUInt32LE(21);
      return sized((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
    }
    if (chunk === 'VP8X') return sized(b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1);
  }
  if (mimeType === 'image/jpeg') return jpegSize(b, sized);
  return null;
}

function jpegSize(
  b: Buffer,
  sized: (w: number, h: number) => ImageFacts | null,
): ImageFacts | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      i += 2; // no length
      continue;
    }
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but don't
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return sized(b.readUInt16BE(i + 7), b.readUInt16BE(i + 5));
    }
    i += 2 + b.readUInt16BE(i + 2);
  }
  return null;
}

/** Entry count and names from the central directory at the end of a zip; nothing is extracted. */
export async function zipListing(readAt: ReadAt, size: number): Promise<ArchiveFacts> {
  const tailLength = Math.min(size, 22 + 65535);
  const tail = await readAt(size - tailLength, tailLength);
  const at = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (at < 0 || at + 22 > tail.length) return { format: 'zip', entries: null, names: [] };
  let entries = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  if (
    (entries === 0xffff || cdOffset === 0xffffffff) &&
    at >= 20 &&
    tail.readUInt32LE(at - 20) === 0x07064b50
  ) {
    const z64 = await readAt(Number(tail.readBigUInt64LE(at - 12)), 56);
    if (z64.length === 56 && z64.readUInt32LE(0) === 0x06064b50) {
      entries = Number(z64.readBigUInt64LE(32));
      cdSize = Number(z64.readBigUInt64LE(40));
      cdOffset = Number(z64.readBigUInt64LE(48));
    }
  }
  const cd = await readAt(cdOffset, Math.min(cdSize, MAX_CENTRAL_DIRECTORY));
  const names: string[] = [];
  let uncompressed: number | null = 0;
  let seen = 0;
  for (let p = 0; p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50; seen++) {
    const nameLength = cd.readUInt16LE(p + 28);
    const entrySize = cd.readUInt32LE(p + 24);
    if (uncompressed !== null)
      uncompressed = entrySize === 0xffffffff ? null : uncompressed + entrySize;
    // bit 11: UTF-8 names; older tools wrote CP437, shown here as Latin-1
    const encoding = cd.readUInt16LE(p + 8) & 0x800 ? 'utf8' : 'latin1';
    if (names.length < MAX_NAMES)
      names.push(
        stripUnsafe(cd.toString(encoding, p + 46, Math.min(cd.length, p + 46 + nameLength))),
      );
    p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  return {
    format: 'zip',
    entries,
    names,
    uncompressedBytes: seen === entries ? uncompressed : null,
  };
}

/** Entry count and names from a tar's headers, skipping over the contents. */
export async function tarListing(readAt: ReadAt, size: number): Promise<ArchiveFacts> {
  const names: string[] = [];
  let entries = 0;
  let total = 0;
  let pos = 0;
  while (pos + 512 <= size && entries < MAX_TAR_ENTRIES) {
    const h = await readAt(pos, 512);
    if (h.length < 512 || h.every((x) => x === 0)) break;
    const field = (from: number, len: number) =>
      h.toString('utf8', from, from + len).replace(/\0.*$/s, '');
    // sizes past 8 GB are base-256: a set high bit, then big-endian bytes
    const bytes =
      h[124]! & 0x80 ? Number(h.readBigUInt64BE(128)) : parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(bytes) || bytes < 0) break; // not a tar header: stop here
    const type = String.fromCharCode(h[156]!);
    // pax and GNU long-name records describe the next entry; they are not entries themselves
    if (!'xgLK'.includes(type)) {
      entries++;
      total += bytes;
      const prefix = field(257, 6) === 'ustar' ? field(345, 155) : '';
      if (names.length < MAX_NAMES)
        names.push(stripUnsafe(prefix ? `${prefix}/${field(0, 100)}` : field(0, 100)));
    }
    pos += 512 + Math.ceil(bytes / 512) * 512;
  }
  return { format: 'tar', entries, names, uncompressedBytes: total };
}
