import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRange } from '../../http/download.js';
import { FolderStore } from '../../storage/folder.store.js';
import { imageSize, readFacts, textPreview, type ReadAt } from './file.facts.js';
import { pngBytes, tarBytes, zipBytes } from '../../test/file.testkit.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-facts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = new FolderStore(dir);
const fileOf = (name: string, b: Buffer): ReadAt => {
  writeFileSync(path.join(dir, name), b);
  return (position, length) => store.readAt(name, position, length);
};

describe('imageSize', () => {
  it('reads PNG, GIF, BMP, WebP (VP8, VP8L, VP8X) and JPEG headers', () => {
    expect(imageSize(pngBytes(640, 480), 'image/png')).toEqual({
      format: 'png',
      width: 640,
      height: 480,
    });
    const gif = Buffer.from('GIF89a\x40\x01\xf0\x00', 'latin1');
    expect(imageSize(gif, 'image/gif')).toEqual({ format: 'gif', width: 320, height: 240 });
    const bmp = Buffer.alloc(30);
    bmp.write('BM');
    bmp.writeInt32LE(100, 18);
    bmp.writeInt32LE(-50, 22); // top-down
    expect(imageSize(bmp, 'image/bmp')).toEqual({ format: 'bmp', width: 100, height: 50 });

    const webp = (chunk: string, fill: (b: Buffer) => void) => {
      const b = Buffer.alloc(40);
      b.write('RIFF', 0);
      b.write('WEBP', 8);
      b.write(chunk, 12, 'latin1');
      fill(b);
      return b;
    };
    expect(
      imageSize(
        webp('VP8 ', (b) => (b.writeUInt16LE(800, 26), b.writeUInt16LE(600, 28))),
        'image/webp',
      ),
    ).toMatchObject({ width: 800, height: 600 });
    expect(
      imageSize(
        webp('VP8L', (b) => ((b[20] = 0x2f), b.writeUInt32LE(99 | (49 << 14), 21))),
        'image/webp',
      ),
    ).toMatchObject({ width: 100, height: 50 });
    expect(
      imageSize(
        webp('VP8X', (b) => (b.writeUIntLE(1919, 24, 3), b.writeUIntLE(1079, 27, 3))),
        'image/webp',
      ),
    ).toMatchObject({ width: 1920, height: 1080 });

    // SOI, an APP0 segment, then SOF0 with height 200 and width 300
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0xc8,
      0x01, 0x2c, 0x03, 0, 0, 0, 0, 0, 0,
    ]);
    expect(imageSize(jpeg, 'image/jpeg')).toEqual({ format: 'jpeg', width: 300, height: 200 });
    expect(
      imageSize(Buffer.from([0xff, 0xd8, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]), 'image/jpeg'),
    ).toBeNull();
    expect(imageSize(Buffer.alloc(4), 'image/png')).toBeNull();
  });
});

describe('archives and text', () => {
  it('lists zip and tar entries; a truncated zip has no listing', async () => {
    const entries = Array.from({ length: 150 }, (_, i) => ({
      name: `f${i}.txt`,
      data: 'x'.repeat(i),
    }));
    const zip = await readFacts(
      fileOf('a-zip', zipBytes(entries)),
      'application/zip',
      zipBytes(entries).length,
    );
    expect(zip.archive!.entries).toBe(150);
    expect(zip.archive!.names).toHaveLength(100);
    expect(zip.archive!.uncompressedBytes).toBe((149 * 150) / 2);
    const tarBuf = tarBytes(entries.slice(0, 3));
    expect(
      (await readFacts(fileOf('a-tar', tarBuf), 'application/x-tar', tarBuf.length)).archive,
    ).toEqual({
      format: 'tar',
      entries: 3,
      names: ['f0.txt', 'f1.txt', 'f2.txt'],
      uncompressedBytes: 3,
    });
    const cut = zipBytes(entries).subarray(0, 500);
    expect(
      (await readFacts(fileOf('cut-zip', cut), 'application/zip', cut.length)).archive,
    ).toEqual({ format: 'zip', entries: null, names: [] });
  });

  it('the preview drops a character cut by the read', () => {
    const b = Buffer.from('ab😀');
    expect(textPreview(b.subarray(0, 4), 10)).toEqual({ preview: 'ab', previewTruncated: true });
    expect(textPreview(b, b.length)).toEqual({ preview: 'ab😀', previewTruncated: false });
  });
});

describe('parseRange', () => {
  it('understands one range; several or malformed mean the whole file', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-3', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,3-4', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
    expect(parseRange(undefined, 100)).toBeNull();
  });
});
