import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FollowEvent } from './log.event.js';
import { compileFilter } from './log.filter.js';
import { readAfter, readLastLines } from './log.reader.js';
import { tempDir } from '../../test/log.testkit.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const texts = (events: FollowEvent[]): string[] =>
  events.map((e) => (e.kind === 'LINE' ? e.text : e.kind));
async function all(it: AsyncIterable<FollowEvent>): Promise<FollowEvent[]> {
  const out: FollowEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}
/** Bytes this process has read through read(2) so far (Linux). */
function bytesReadSoFar(): number {
  return Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
}

describe('readLastLines', () => {
  it('returns the last complete lines, oldest first, with cursors to resume after each', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'a\nbb\nccc\npartial');
    const lines = await readLastLines(path, 2);
    expect(texts(lines)).toEqual(['bb', 'ccc']);
    expect(lines.map((l) => l.cursor.offset)).toEqual([5, 9]);
    expect(texts(await readLastLines(path, 10))).toEqual(['a', 'bb', 'ccc']);
    expect(await readLastLines(join(dir, 'missing.log'), 10)).toEqual([]);
  });

  it('pages backwards with `before` (exclusive) and filters', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(
      path,
      Array.from({ length: 50 }, (_, i) => `line ${i + 1} ${i % 2 ? 'even' : 'odd'}`).join('\n') +
        '\n',
    );
    const page1 = await readLastLines(path, 3);
    expect(texts(page1)).toEqual(['line 48 even', 'line 49 odd', 'line 50 even']);
    const page2 = await readLastLines(path, 3, { before: page1[0].cursor });
    expect(texts(page2)).toEqual(['line 45 odd', 'line 46 even', 'line 47 odd']);
    const odd = await readLastLines(path, 2, {
      filter: compileFilter('/ODD$/i'),
      before: page1[0].cursor,
    });
    expect(texts(odd)).toEqual(['line 45 odd', 'line 47 odd']);
    expect(
      await readLastLines(path, 3, { before: { ino: page1[0].cursor.ino + 1, offset: 10 } }),
    ).toEqual([]);
  });

  it('handles lines longer than the cap and than a block: truncated head, right cursor', async () => {
    const path = join(dir, 'app.log');
    const long = 'x'.repeat(200_000);
    writeFileSync(path, `first\n${long}\nlast\n`);
    const lines = await readLastLines(path, 3, { maxLineBytes: 100 });
    expect(lines.map((l) => [l.text.length, l.truncated])).toEqual([
      [5, false],
      [100, true],
      [4, false],
    ]);
    expect(lines[1].cursor.offset).toBe(6 + 200_001);
  });

  it('backfills the last 100 lines of a 200 MB file reading only a little of it', async () => {
    const path = join(dir, 'big.log');
    const fd = openSync(path, 'w');
    const chunk = Buffer.from(
      Array.from(
        { length: 10_000 },
        (_, i) => `${String(i).padStart(8, '0')} ${'y'.repeat(90)}`,
      ).join('\n') + '\n',
    );
    for (let written = 0; written < 200 * 1024 * 1024; written += chunk.length)
      writeSync(fd, chunk);
    closeSync(fd);
    const readBefore = bytesReadSoFar();
    const lines = await readLastLines(path, 100);
    const read = bytesReadSoFar() - readBefore;
    expect(lines).toHaveLength(100);
    expect(texts(lines).at(-1)).toBe(`00009999 ${'y'.repeat(90)}`);
    expect(read).toBeLessThan(1024 * 1024); // a block or two, not 200 MB (its speed: npm run bench)
  });
});

describe('readAfter', () => {
  it('continues exactly after a cursor, up to the last complete line', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'a\nb\nc\nd');
    const [, b] = await readLastLines(path, 3);
    expect(texts(await all(readAfter(path, b.cursor)))).toEqual(['c']);
    expect(texts(await all(readAfter(path, null)))).toEqual(['a', 'b', 'c']);
  });

  it('drains the rotated file (found by inode) before ROTATED and the new file', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'old1\nold2\n');
    const [old1] = await readLastLines(path, 2);
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'new1\n');
    // the rest of the rotated file is not lost (it used to be: ROTATED, new1)
    expect(texts(await all(readAfter(path, old1.cursor)))).toEqual(['old2', 'ROTATED', 'new1']);
  });

  it('tells a re-created file from the old one even when the inode number is reused', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'old 1\nold 2\n');
    const [old1] = await readLastLines(path, 2);
    rmSync(path);
    writeFileSync(path, 'new 1\nnew 2\nnew 3\n'); // ext4 hands the freed inode straight back
    expect(texts(await all(readAfter(path, old1.cursor)))).toEqual([
      'ROTATED',
      'new 1',
      'new 2',
      'new 3',
    ]);
    expect(await readLastLines(path, 5, { before: old1.cursor })).toEqual([]);
  });

  it('says TRUNCATED when the file is now shorter than the cursor', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'a long line here\nanother\n');
    const [, second] = await readLastLines(path, 2);
    writeFileSync(path, 'x\n'); // same inode, shorter
    expect(texts(await all(readAfter(path, second.cursor)))).toEqual(['TRUNCATED', 'x']);
  });
});
