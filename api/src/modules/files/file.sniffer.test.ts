import { describe, expect, it } from 'vitest';
import {
  BINARY_TYPE,
  HEAD_BYTES,
  incompleteTail,
  TEXT_TYPE,
  typeAllowed,
  TypeSniffer,
} from './file.sniffer.js';
import { pngBytes } from '../../test/file.testkit.js';

async function sniff(chunks: Buffer[]) {
  const s = new TypeSniffer();
  const early: (string | undefined)[] = [];
  for (const c of chunks) early.push(await s.push(c));
  return { early, type: await s.end() };
}

/** Every way of splitting `buf` into two chunks. */
const splits = (buf: Buffer) =>
  Array.from({ length: buf.length + 1 }, (_, i) => [buf.subarray(0, i), buf.subarray(i)]);

describe('TypeSniffer', () => {
  it('valid UTF-8 is text, however the chunks cut its characters', async () => {
    const text = Buffer.from('héllo 世界 😀 ok');
    for (const parts of splits(text)) expect((await sniff(parts)).type).toBe(TEXT_TYPE);
    // one byte at a time
    expect((await sniff([...text].map((b) => Buffer.from([b])))).type).toBe(TEXT_TYPE);
  });

  it('a NUL, an invalid byte or a character cut at the end is not text', async () => {
    expect((await sniff([Buffer.from('abc\0def')])).type).toBe(BINARY_TYPE);
    expect((await sniff([Buffer.from([0x61, 0xff, 0x62])])).type).toBe(BINARY_TYPE);
    expect((await sniff([Buffer.from([0x61, 0xc0, 0xaf])])).type).toBe(BINARY_TYPE); // overlong
    expect((await sniff([Buffer.from('ok'), Buffer.from([0xe4, 0xb8])])).type).toBe(BINARY_TYPE);
    expect((await sniff([Buffer.from([0xed, 0xa0, 0x80])])).type).toBe(BINARY_TYPE); // surrogate
  });

  it('magic bytes win over everything else, and are known early', async () => {
    const png = pngBytes(10, 10);
    expect((await sniff([png])).type).toBe('image/png');
    const big = await sniff([png, Buffer.alloc(HEAD_BYTES, 0x41)]);
    expect(big.early[1]).toBe('image/png');
  });

  it('binary without magic is known at its first bad bytes once the head is checked', async () => {
    const r = await sniff([Buffer.alloc(HEAD_BYTES, 0), Buffer.alloc(10, 0x41)]);
    expect(r.early[0]).toBe(BINARY_TYPE);
    expect(r.type).toBe(BINARY_TYPE);
  });

  it('an empty file is text', async () => {
    expect((await sniff([])).type).toBe(TEXT_TYPE);
  });
});

describe('incompleteTail', () => {
  it('counts the bytes of an unfinished character at the end', () => {
    expect(incompleteTail(Buffer.from('abc'))).toBe(0);
    expect(incompleteTail(Buffer.from([0x61, 0xe4]))).toBe(1);
    expect(incompleteTail(Buffer.from([0x61, 0xe4, 0xb8]))).toBe(2);
    expect(incompleteTail(Buffer.from([0x61, 0xe4, 0xb8, 0xad]))).toBe(0);
    expect(incompleteTail(Buffer.from([0xf0, 0x9f, 0x98]))).toBe(3);
    expect(incompleteTail(Buffer.from([0xff]))).toBe(0);
  });
});

describe('typeAllowed', () => {
  const list = ['text/*', 'image/png', 'application/zip'];
  it('matches exact types and major/* wildcards only', () => {
    expect(typeAllowed('text/plain', list)).toBe(true);
    expect(typeAllowed('image/png', list)).toBe(true);
    expect(typeAllowed('image/gif', list)).toBe(false);
    expect(typeAllowed('application/octet-stream', list)).toBe(false);
    expect(typeAllowed('textual/plain', list)).toBe(false);
    expect(typeAllowed('application/octet-stream', ['*/*'])).toBe(true);
  });
});
