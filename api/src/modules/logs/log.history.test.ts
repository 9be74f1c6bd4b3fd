import { appendFileSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FollowEvent } from './log.event.js';
import { compileFilter } from './log.filter.js';
import { listHistory, MAX_ROTATED } from './log.history.js';
import { readAfter, readLastLines } from './log.reader.js';
import { runLogrotate, tempDir } from '../../test/log.testkit.js';

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
const numbered = (from: number, to: number): string =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

/** app.log written in four parts, rotated by real logrotate after each of the first three. */
async function rotatedThrice(options: string): Promise<string> {
  const path = join(dir, 'app.log');
  const config = join(dir, 'logrotate.conf');
  writeFileSync(config, `${path} {\n  create\n  rotate 10\n  ${options}\n}\n`);
  for (let part = 0; part < 4; part++) {
    writeFileSync(path, numbered(part * 10 + 1, part * 10 + 10));
    if (part < 3) await runLogrotate(config, join(dir, 'state'));
  }
  return path;
}

describe('listHistory', () => {
  it('lists the current file and its rotated siblings newest first, regular files only', async () => {
    const path = join(dir, 'app.log');
    const t = Date.now() / 1000;
    const files: [string, number][] = [
      ['app.log', 0],
      ['app.log.1', 1],
      ['app.log.2.gz', 2],
      ['app.log.10.gz', 10],
      ['app.log-20261205', 20],
      ['app.log-20261206.gz', 21],
      ['app.log.old', 30], // not logrotate's
      ['app.log.1.bak', 31],
      ['other.log.1', 32],
    ];
    for (const [name, age] of files) {
      writeFileSync(join(dir, name), 'x\n');
      utimesSync(join(dir, name), t - age, t - age);
    }
    symlinkSync('/etc/passwd', join(dir, 'app.log.3'));
    mkdirSync(join(dir, 'app.log.4'));
    const names = (await listHistory(path)).map((f) => f.name);
    expect(names).toEqual([
      'app.log',
      'app.log.1',
      'app.log.2.gz',
      'app.log.10.gz',
      'app.log-20261206.gz',
      'app.log-20261205',
    ]);
    const [, one, two] = await listHistory(path);
    expect([one.compressed, two.compressed]).toEqual([false, true]);
  });

  it(`lists at most ${MAX_ROTATED} rotated files, the newest`, async () => {
    const path = join(dir, 'app.log');
    for (let n = 1; n <= MAX_ROTATED + 20; n++) writeFileSync(`${path}.${n}`, 'x\n');
    const list = await listHistory(path);
    expect(list).toHaveLength(MAX_ROTATED);
    expect(list.at(-1)!.name).toBe(`app.log.${MAX_ROTATED}`);
  });
});

describe('paging back across rotations (real logrotate)', () => {
  for (const options of ['nocompress', 'compress', 'compress\n  delaycompress']) {
    it(`pages back through every file, oldest first within a page (${options.replace(/\n\s*/, ' + ')})`, async () => {
      const path = await rotatedThrice(options);
      const seen: string[] = [];
      const files = new Set<string>();
      let before = null;
      for (let page = 0; page < 10; page++) {
        const lines = await readLastLines(path, 7, { before });
        if (lines.length === 0) break;
        seen.unshift(...texts(lines));
        for (const l of lines) files.add(l.file!);
        before = lines[0].cursor;
      }
      expect(seen).toEqual(numbered(1, 40).trim().split('\n'));
      expect(files.size).toBe(4);
      expect(files.has('app.log')).toBe(true);
    });
  }

  it('a filter searches the rotated files too, and `last` bounds the page', async () => {
    const path = await rotatedThrice('compress\n  delaycompress');
    const ones = await readLastLines(path, 100, { filter: compileFilter('/^line \\d*1$/') });
    expect(texts(ones)).toEqual(['line 1', 'line 11', 'line 21', 'line 31']);
    expect(ones.map((l) => l.file)).toEqual([
      'app.log.3.gz',
      'app.log.2.gz',
      'app.log.1',
      'app.log',
    ]);
    // lines holding a 1, newest: 31 in app.log, then 21 in app.log.1
    const two = await readLastLines(path, 2, { filter: compileFilter('1') });
    expect(texts(two)).toEqual(['line 21', 'line 31']);
  });

  it('a cursor into a rotated (gzip) file pages back within it and on into older ones', async () => {
    const path = await rotatedThrice('compress');
    const fromGz = (await readLastLines(path, 30)).find((l) => l.text === 'line 15')!;
    expect(fromGz.file).toBe('app.log.2.gz');
    const older = await readLastLines(path, 6, { before: fromGz.cursor });
    expect(texts(older)).toEqual(['line 9', 'line 10', 'line 11', 'line 12', 'line 13', 'line 14']);
    expect(older.map((l) => l.file)).toEqual([
      'app.log.3.gz',
      'app.log.3.gz',
      'app.log.2.gz',
      'app.log.2.gz',
      'app.log.2.gz',
      'app.log.2.gz',
    ]);
  });
});

describe('resuming after a rotation', () => {
  it('drains the rotated file by inode, then the newer ones, then the current file', async () => {
    const path = join(dir, 'app.log');
    const config = join(dir, 'logrotate.conf');
    writeFileSync(config, `${path} {\n  create\n  rotate 10\n}\n`);
    writeFileSync(path, 'a1\na2\n');
    const [a1] = await readLastLines(path, 2);
    appendFileSync(path, 'a3\n'); // written after the client's last cursor, then rotated away
    await runLogrotate(config, join(dir, 'state'));
    writeFileSync(path, 'b1\n');
    await runLogrotate(config, join(dir, 'state')); // the first file is now app.log.2
    writeFileSync(path, 'c1\n');
    const events = await all(readAfter(path, a1.cursor));
    expect(texts(events)).toEqual(['a2', 'a3', 'ROTATED', 'b1', 'ROTATED', 'c1']);
    expect(events.map((e) => (e.kind === 'LINE' ? e.file : '-'))).toEqual([
      'app.log.2',
      'app.log.2',
      '-',
      'app.log.1',
      '-',
      'app.log',
    ]);
  });

  it('with delaycompress a cursor stays good for one rotation; compressed, its file is gone', async () => {
    const path = join(dir, 'app.log');
    const config = join(dir, 'logrotate.conf');
    writeFileSync(config, `${path} {\n  create\n  rotate 10\n  compress\n  delaycompress\n}\n`);
    writeFileSync(path, 'a1\na2\n');
    const [a1] = await readLastLines(path, 2);
    await runLogrotate(config, join(dir, 'state'));
    writeFileSync(path, 'b1\n');
    expect(texts(await all(readAfter(path, a1.cursor)))).toEqual(['a2', 'ROTATED', 'b1']);
    await runLogrotate(config, join(dir, 'state')); // gzip writes a new file (a new inode)
    writeFileSync(path, 'c1\n');
    expect(texts(await all(readAfter(path, a1.cursor)))).toEqual(['ROTATED', 'c1']);
    expect(await readLastLines(path, 5, { before: a1.cursor })).toEqual([]);
  });

  it('a cursor whose file left the history gives ROTATED and the current file', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'old\n');
    const [old] = await readLastLines(path, 1);
    writeFileSync(join(dir, 'app.log.1.gz'), gzipSync('other\n')); // another file's history
    rmSync(path);
    writeFileSync(path, 'new\n');
    expect(texts(await all(readAfter(path, old.cursor)))).toEqual(['ROTATED', 'new']);
  });
});
