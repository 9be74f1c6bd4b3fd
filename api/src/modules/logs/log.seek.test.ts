import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLog, type OpenLog } from './log.file.js';
import { offsetAtTime } from './log.seek.js';

const T0 = Date.UTC(2026, 11, 7, 0, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
let dir: string;

/** A log of `n` timed lines one second apart, each timed line followed by `untimed(i)` stack lines. */
function writeLog(name: string, n: number, untimed: (i: number) => number, pad = 40): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(`${iso(T0 + i * 1000)} INFO request ${i} ${'x'.repeat(pad)}\n`);
    for (let k = 0; k < untimed(i); k++) parts.push(`    at frame ${k} of ${i}\n`);
  }
  const file = path.join(dir, name);
  writeFileSync(file, parts.join(''));
  return file;
}

/** Reference answer by reading every line: the start of the first timed line >= t. */
function linear(text: string, t: number): number {
  let offset = 0;
  for (const line of text.split('\n').slice(0, -1)) {
    const m = /^(\S+Z) /.exec(line);
    if (m && Date.parse(m[1]!) >= t) return offset;
    offset += Buffer.byteLength(line) + 1;
  }
  return offset;
}

/** The same file, counting the bytes each read returns. */
function counted(file: OpenLog): { file: OpenLog; bytes: () => number } {
  let bytes = 0;
  const fh = file.fh;
  const read = fh.read.bind(fh) as (...a: unknown[]) => Promise<{ bytesRead: number }>;
  const proxy = new Proxy(fh, {
    get: (target, key) =>
      key === 'read'
        ? async (...a: unknown[]) => {
            const r = await read(...a);
            bytes += r.bytesRead;
            return r;
          }
        : Reflect.get(target, key, target),
  });
  return { file: { ...file, fh: proxy }, bytes: () => bytes };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'log-seek-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('offsetAtTime', () => {
  it('finds the first line at or after a time, untimed lines going with the line before them', async () => {
    const name = writeLog('stack.log', 3000, (i) => (i % 7 === 3 ? 5 : 0));
    const text = readFileSync(name, 'utf8');
    const file = (await openLog(name))!;
    try {
      for (const t of [
        T0 - 5000,
        T0,
        T0 + 1,
        T0 + 3000,
        T0 + 1_234_500,
        T0 + 2_999_000,
        T0 + 9e9,
      ]) {
        expect(await offsetAtTime(file, t), iso(t)).toBe(linear(text, t));
      }
      // the untimed lines after request 3 belong to it: a range from request 4 starts after them
      const at4 = await offsetAtTime(file, T0 + 4000);
      expect(text.slice(at4).startsWith(`${iso(T0 + 4000)} INFO request 4 `)).toBe(true);
      expect(text.slice(0, at4).endsWith('    at frame 4 of 3\n')).toBe(true);
    } finally {
      await file.fh.close();
    }
  });

  it('reads at most 2 MiB of a 25 MB file, not the file', async () => {
    const name = writeLog('big.log', 300_000, () => 0);
    const text = readFileSync(name, 'utf8');
    const opened = (await openLog(name))!;
    try {
      const { file, bytes } = counted(opened);
      const t = T0 + 221_987_000;
      expect(await offsetAtTime(file, t)).toBe(linear(text, t));
      expect(opened.size).toBeGreaterThan(25e6);
      expect(bytes()).toBeLessThan(2 * 1024 * 1024);
    } finally {
      await opened.fh.close();
    }
  });

  it('handles lines longer than a read block and a file without times', async () => {
    const long = writeLog('long.log', 40, (i) => (i === 20 ? 1 : 0), 150_000);
    const text = readFileSync(long, 'utf8');
    const plain = path.join(dir, 'plain.log');
    writeFileSync(plain, 'no time here\n'.repeat(20_000) + 'unfinished');
    const a = (await openLog(long))!;
    const b = (await openLog(plain))!;
    try {
      for (const t of [T0, T0 + 20_000, T0 + 21_000, T0 + 20_500, T0 + 39_000, T0 + 41_000])
        expect(await offsetAtTime(a, t), iso(t)).toBe(linear(text, t));
      expect(await offsetAtTime(b, T0)).toBe(b.size);
      expect(await offsetAtTime(b, T0, { to: 1000 })).toBe(1000);
    } finally {
      await a.fh.close();
      await b.fh.close();
    }
  });
});
