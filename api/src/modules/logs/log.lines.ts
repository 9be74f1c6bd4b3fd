// Byte chunks in, complete lines out: bounded memory, UTF-8 safe cuts, invalid bytes become U+FFFD.

export const DEFAULT_MAX_LINE_BYTES = 65536;
const NL = 0x0a;
const CR = 0x0d;

export interface SplitLine {
  text: string;
  truncated: boolean;
  /** File offset just after the newline (or after the last byte, for a flushed partial line). */
  end: number;
}

/**
 * Splits a byte stream into lines. Keeps at most `maxLineBytes` bytes of the current line; the rest
 * of an over-long line is skipped until its newline. A multibyte character split across chunks is
 * rejoined because bytes are only decoded once the whole line (or its capped head) is known.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private overflow = false;
  private skipping = false;

  constructor(private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 4)
      throw new RangeError('maxLineBytes must be an integer >= 4');
  }

  /** Drop everything up to and including the next newline (we started in the middle of a line). */
  skipToNextLine(): void {
    this.reset();
    this.skipping = true;
  }

  /** Forget any partial line (the file was replaced or cut). */
  reset(): void {
    this.parts = [];
    this.kept = 0;
    this.overflow = false;
    this.skipping = false;
  }

  /** True when bytes of an unfinished line are pending. */
  get pending(): boolean {
    return this.kept > 0 || this.overflow;
  }

  /** `chunk` holds the bytes of the file starting at offset `at`. */
  push(chunk: Buffer, at: number): SplitLine[] {
    const lines: SplitLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NL, start);
      const stop = nl === -1 ? chunk.length : nl;
      // the common case, a whole line of normal length in this chunk: decoded in place, no copy
      if (nl !== -1 && !this.skipping && !this.pending) {
        const end = nl > start && chunk[nl - 1] === CR ? nl - 1 : nl;
        if (end - start <= this.maxLineBytes) {
          lines.push({
            text: chunk.toString('utf8', start, end),
            truncated: false,
            end: at + nl + 1,
          });
          start = nl + 1;
          continue;
        }
      }
      if (this.skipping) {
        if (nl !== -1) this.skipping = false;
      } else {
        this.keep(chunk.subarray(start, stop));
        if (nl !== -1) lines.push(this.take(at + nl + 1));
      }
      if (nl === -1) break;
      start = nl + 1;
    }
    return lines;
  }

  /** Emit the unfinished line as if it ended at `end` (its file is finished), or null if none. */
  flush(end: number): SplitLine | null {
    if (this.skipping || !this.pending) {
      this.reset();
      return null;
    }
    return this.take(end);
  }

  private keep(bytes: Buffer): void {
    const room = this.maxLineBytes + 1 - this.kept; // one extra byte: a trailing CR we strip later
    if (bytes.length > room) this.overflow = true;
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    // copy: the caller's read buffer is reused for the next read
    if (part.length > 0) this.parts.push(Buffer.from(part));
    this.kept += part.length;
  }

  private take(end: number): SplitLine {
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.kept);
    const line = decodeLine(bytes, this.overflow, this.maxLineBytes);
    this.reset();
    return { ...line, end };
  }
}

/**
 * Text of a line from its first bytes (newline excluded, at most maxLineBytes + 1 of them);
 * `overflow` says more bytes followed. One trailing CR is dropped; invalid UTF-8 becomes U+FFFD.
 */
export function decodeLine(
  head: Buffer,
  overflow: boolean,
  maxLineBytes: number,
): { text: string; truncated: boolean } {
  let bytes = head;
  let truncated = overflow;
  if (!truncated && bytes.length > 0 && bytes[bytes.length - 1] === CR)
    bytes = bytes.subarray(0, -1);
  if (bytes.length > maxLineBytes) truncated = true;
  if (truncated) bytes = cutUtf8(bytes, maxLineBytes);
  return { text: bytes.toString('utf8'), truncated };
}

/** The longest prefix of at most `max` bytes that does not end inside a UTF-8 sequence. */
export function cutUtf8(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let cut = max;
  // walk back over at most 3 continuation bytes to the lead byte of the char straddling the cut
  for (let i = cut - 1, back = 0; i >= 0 && back < 4; i--, back++) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue;
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (i + len > cut) cut = i;
    break;
  }
  return bytes.subarray(0, cut);
}
