import { isUtf8 } from 'node:buffer';

/** How much of the start is given to magic-byte detection (file-type reads at most ~4 KB of most formats). */
export const HEAD_BYTES = 64 * 1024;
export const TEXT_TYPE = 'text/plain';
export const BINARY_TYPE = 'application/octet-stream';

/** `text/*` matches any text type, `*` or `*\/*` anything, otherwise the exact type. */
export function typeAllowed(mime: string, allowed: readonly string[]): boolean {
  const [major] = mime.split('/');
  return allowed.some(
    (a) => a === '*' || a === '*/*' || a === mime || (a.endsWith('/*') && a.slice(0, -2) === major),
  );
}

/** Bytes at the end of `buf` that start a UTF-8 sequence the buffer does not finish. */
export function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(4, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need =
      b < 0x80
        ? 1
        : (b & 0xe0) === 0xc0
          ? 2
          : (b & 0xf0) === 0xe0
            ? 3
            : (b & 0xf8) === 0xf0
              ? 4
              : 0;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Judges a stream's type from its bytes alone: magic numbers first, else valid UTF-8 without NUL
 * is text/plain, anything else application/octet-stream. `push` answers as soon as the type is
 * certain (a magic match, or bytes that cannot be text), so a refused type stops the upload early.
 */
export class TypeSniffer {
  private head: Buffer[] = [];
  private headBytes = 0;
  /** undefined: not looked yet; null: no magic match */
  private magic: string | null | undefined;
  private text = true;
  private carry: Buffer | null = null;

  async push(chunk: Buffer): Promise<string | undefined> {
    if (this.magic === undefined) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
    }
    if (!this.magic && this.text) this.checkText(chunk);
    if (this.magic === undefined && this.headBytes >= HEAD_BYTES) await this.detect();
    if (this.magic) return this.magic;
    if (this.magic === null && !this.text) return BINARY_TYPE;
    return undefined;
  }

  async end(): Promise<string> {
    if (this.magic === undefined) await this.detect();
    if (this.carry) this.text = false; // ends inside a multi-byte character
    return this.magic || (this.text ? TEXT_TYPE : BINARY_TYPE);
  }

  private async detect(): Promise<void> {
    const head = Buffer.concat(this.head, this.headBytes);
    this.head = [];
    // loaded on the first upload: an idle server doesn't carry file-type's signature tables
    const { fileTypeFromBuffer } = await import('file-type');
    this.magic = head.length ? ((await fileTypeFromBuffer(head))?.mime ?? null) : null;
  }

  private checkText(chunk: Buffer): void {
    if (chunk.indexOf(0) !== -1) {
      this.text = false;
      return;
    }
    // a character split across chunks is checked whole (only then is the chunk copied)
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    this.carry = tail ? Buffer.from(buf.subarray(buf.length - tail)) : null;
    if (!isUtf8(buf.subarray(0, buf.length - tail))) this.text = false;
  }
}
