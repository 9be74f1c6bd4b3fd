// The block scanner against the plain reading (decode every line, then filter) on awkward files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/log.testkit.js';
import { openLog, type OpenLog } from './log.file.js';
import { compileFilter, type LineFilter } from './log.filter.js';
import { decodeLine } from './log.lines.js';
import { scanBackward, scanForward } from './log.scan.js';

const MAX = 64; // the shown head of a line, small so that long lines are cheap to make

interface Seen {
  text: string;
  truncated: boolean;
  offset: number;
}

/** Every complete line of `data` starting at or after `from` and ending at or before `to`, as shown. */
function plainLines(data: Buffer, from = 0, to = data.length): Seen[] {
  const out: Seen[] = [];
  for (let s = from; ;) {
    const nl = data.indexOf(0x0a, s);
    if (nl === -1 || nl + 1 > to) return out;
    const head = data.subarray(s, Math.min(nl, s + MAX + 1));
    out.push({ ...decodeLine(head, nl - s > MAX + 1, MAX), offset: nl + 1 });
    s = nl + 1;
  }
}

const seen = (events: { text: string; truncated: boolean; cursor: { offset: number } }[]) =>
  events.map((e) => ({ text: e.text, truncated: e.truncated, offset: e.cursor.offset }));

async function forward(
  file: OpenLog,
  filter: LineFilter,
  from: number,
  to: number,
  blockSize: number,
) {
  const out = [];
  for await (const e of scanForward(file, from, to, { filter, maxLineBytes: MAX, blockSize }))
    out.push(e);
  return seen(out);
}

// a file with every awkward case, each near the others, twice (once per CR-ness)
const awkward = Buffer.concat([
  Buffer.from('GET /api ok\nPOST /api failed\r\n\r\n\n'),
  Buffer.from(`long ${'x'.repeat(200)} tail-needle here abc\n`), // longer than MAX: cut, and matched on its head only
  Buffer.from(`${'y'.repeat(MAX - 3)}abc${'z'.repeat(10)}\n`), // `abc$` ends the shown text, not the line
  Buffer.from([0x62, 0xff, 0x61, 0x64, 0x20, 0x61, 0x0a]), // invalid UTF-8: "b\uFFFDad a"
  Buffer.from('héllo wörld é\r\n'),
  Buffer.from('ends with a\nb starts the next\n'), // /a\sb/ matches across this newline, on no line
  Buffer.from(`${'n'.repeat(40)} needle-abc failed ${'n'.repeat(40)}\n`),
  Buffer.from('abc\r\nabc\nxabc\r\nlast line without newline'),
]);

const FILTERS = [
  'needle-abc',
  'abc',
  'api',
  '\r',
  'a\nb',
  'é',
  'tail-needle',
  '\ufffd',
  '/abc$/',
  '/^abc$/',
  '/a\\sb/',
  '/[^x]b s/',
  '/needle-[a-z]+ failed/',
  '/^$/',
  '/\\bd a$/',
  '/y\\b/',
  '/b.ad/',
  '/é$/i',
  '/W[ÖO]RLD/i',
  '/x*/',
  '/(a+)+$/',
];

describe('scanBackward and scanForward', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let file: OpenLog;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'awkward.log');
    writeFileSync(path, awkward);
    file = (await openLog(path))!;
  });
  afterAll(async () => {
    await file.fh.close();
    cleanup();
  });

  it.each(FILTERS)('finds what decoding every line finds, for %j', async (pattern) => {
    const filter = compileFilter(pattern)!;
    const all = plainLines(awkward).filter((l) => filter(l.text));
    // block sizes that put lines across block edges, and one that holds the whole file
    for (const blockSize of [7, 16, 100, 1 << 20]) {
      expect(await forward(file, filter, 0, awkward.length, blockSize), `${blockSize}`).toEqual(
        all,
      );
      for (const n of [1, 2, 100]) {
        const back = await scanBackward(file, awkward.length, n, {
          filter,
          maxLineBytes: MAX,
          blockSize,
        });
        expect(seen(back), `last ${n}, block ${blockSize}`).toEqual(all.slice(-n));
      }
    }
  });

  it('pages back before a cursor (exclusive) and reads forward between two points, mid-line ones too', async () => {
    const filter = compileFilter('/a/')!;
    const lines = plainLines(awkward);
    for (const cut of [lines[2]!.offset, lines[5]!.offset, lines[5]!.offset + 3]) {
      const expected = lines.filter((l) => l.offset <= cut && l.offset !== cut && filter(l.text));
      const back = await scanBackward(file, cut, 100, {
        filter,
        maxLineBytes: MAX,
        blockSize: 16,
        skipEnd: cut,
      });
      expect(seen(back)).toEqual(expected);
      const from = cut;
      const to = lines.at(-2)!.offset - 1; // mid-line: the line it cuts is left out
      expect(await forward(file, filter, from, to, 16)).toEqual(
        plainLines(awkward, from, to).filter((l) => filter(l.text)),
      );
    }
  });

  it('stops reading when the signal aborts', async () => {
    const ac = new AbortController();
    ac.abort();
    const filter = compileFilter('a')!;
    expect(await scanBackward(file, awkward.length, 10, { filter, signal: ac.signal })).toEqual([]);
    expect(await forward(file, filter, 0, 0, 16)).toEqual([]);
  });

  it('agrees on a generated file of many blocks with lines of every length', async () => {
    const parts: string[] = [];
    let seed = 7;
    const rand = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % k) + 0;
    for (let i = 0; i < 3000; i++) {
      const len = [0, 1, 5, 40, 63, 64, 65, 66, 300][rand(9)]!;
      const body = Array.from({ length: len }, () => 'ab \nxyé'[rand(7)]!)
        .join('')
        .replace(/\n/g, ' ');
      parts.push(`${i % 97 === 0 ? 'needle ' : ''}${body}${rand(5) === 0 ? '\r' : ''}\n`);
    }
    const data = Buffer.from(parts.join(''));
    const big = join(dir, 'generated.log');
    writeFileSync(big, data);
    const f = (await openLog(big))!;
    try {
      for (const pattern of ['needle', 'é', '/y\\s*x$/', '/^b/', '/needle [abxy ]*$/i']) {
        const filter = compileFilter(pattern)!;
        const all = plainLines(data).filter((l) => filter(l.text));
        for (const blockSize of [1000, 65536]) {
          expect(await forward(f, filter, 0, data.length, blockSize), pattern).toEqual(all);
          const back = await scanBackward(f, data.length, 50, {
            filter,
            maxLineBytes: MAX,
            blockSize,
          });
          expect(seen(back), pattern).toEqual(all.slice(-50));
        }
      }
    } finally {
      await f.fh.close();
    }
  });
});
