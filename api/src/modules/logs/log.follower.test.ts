import { appendFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FollowEvent } from './log.event.js';
import { followInto, type FollowOptions, type LogFollowing } from './log.follower.js';
import { sleep, tempDir } from '../../test/log.testkit.js';
import { waitUntil } from '../../test/wait.js';

let dir: string;
let cleanup: () => void;
const open: LogFollowing[] = [];
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
  cleanup();
});

/** Starts a follower and collects its events in the background. */
function collect(
  path: string,
  options: FollowOptions = {},
): { events: FollowEvent[]; lines: () => string[] } {
  const events: FollowEvent[] = [];
  open.push(
    followInto(path, { pollMs: 100, rotateWaitMs: 100, ...options }, (e) => events.push(e)),
  );
  return { events, lines: () => events.flatMap((e) => (e.kind === 'LINE' ? [e.text] : [])) };
}

describe('followInto', () => {
  it('emits lines appended live, only once their newline arrives', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'old line\n');
    const { events, lines } = collect(path);
    await sleep(150);
    appendFileSync(path, 'first\nsecond par');
    await waitUntil(() => lines().length === 1);
    await sleep(200);
    expect(lines()).toEqual(['first']); // the partial line waits for its end
    appendFileSync(path, 't\n');
    await waitUntil(() => lines().length === 2);
    expect(lines()).toEqual(['first', 'second part']);
    expect(events[1].cursor.offset).toBe(Buffer.byteLength('old line\nfirst\nsecond part\n'));
  });

  it('starting at end emits an unfinished last line whole once it is completed', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'done\nhalf');
    const { lines } = collect(path);
    await sleep(150);
    appendFileSync(path, ' and rest\n');
    await waitUntil(() => lines().length === 1);
    expect(lines()).toEqual(['half and rest']);
  });

  it('waits for a missing file, then reads it from its start', async () => {
    const path = join(dir, 'later.log');
    const { events, lines } = collect(path);
    await sleep(200);
    expect(events).toEqual([]);
    writeFileSync(path, 'hello\nworld\n');
    await waitUntil(() => lines().length === 2);
    expect(lines()).toEqual(['hello', 'world']);
  });

  it('picks up a file deleted and created again later, with ROTATED at the switch', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const { events, lines } = collect(path);
    await sleep(150);
    appendFileSync(path, 'one\n');
    await waitUntil(() => lines().length === 1);
    rmSync(path);
    await sleep(300);
    writeFileSync(path, 'two\n');
    await waitUntil(() => lines().length === 2);
    expect(lines()).toEqual(['one', 'two']);
    expect(events.map((e) => e.kind)).toEqual(['LINE', 'ROTATED', 'LINE']);
    expect(events[1].cursor).toEqual({ ...events[2].cursor, offset: 0 });
  });

  it('reads a renamed file to its end before switching to the new one', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const { events, lines } = collect(path);
    await sleep(150);
    appendFileSync(path, 'a\n');
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, 'b\n'); // a writer that has not reopened yet
    writeFileSync(path, 'c\n');
    await waitUntil(() => lines().length === 3);
    expect(lines()).toEqual(['a', 'b', 'c']);
    expect(events.map((e) => e.kind)).toEqual(['LINE', 'LINE', 'ROTATED', 'LINE']);
  });

  it('detects copytruncate-style truncation and restarts at 0', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const { events, lines } = collect(path);
    await sleep(150);
    appendFileSync(path, 'a long first line\n');
    await waitUntil(() => lines().length === 1);
    writeFileSync(path, 'new\n'); // truncates in place: same inode
    await waitUntil(() => lines().length === 2);
    expect(events.map((e) => e.kind)).toEqual(['LINE', 'TRUNCATED', 'LINE']);
    expect(events[2]).toMatchObject({ text: 'new', cursor: { offset: 4 } });
  });

  it('cuts a 20 MB line at the cap without holding it in memory', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const { lines, events } = collect(path, { maxLineBytes: 1000 });
    await sleep(150);
    const before = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
    const chunk = Buffer.alloc(1 << 20, 'é'); // 2-byte chars: the cap (1000) falls on a boundary, 999 would not
    for (let i = 0; i < 20; i++) appendFileSync(path, chunk);
    appendFileSync(path, Buffer.from([0xc3])); // dangling half char is fine: it is past the cap
    appendFileSync(path, '\nnext\n');
    await waitUntil(() => lines().length === 2, { timeoutMs: 10_000 });
    const grown = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed - before;
    expect(events[0]).toMatchObject({ kind: 'LINE', truncated: true, text: 'é'.repeat(500) });
    expect(lines()[1]).toBe('next');
    expect(grown).toBeLessThan(15 * (1 << 20)); // far below the 20 MB line
  });

  it('cuts before a character that straddles the cap', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const { events } = collect(path, { maxLineBytes: 5 });
    await sleep(150);
    appendFileSync(path, 'ab€cd\n'); // € ends exactly at the cap of 5
    appendFileSync(path, 'abc€d\n'); // € at 3..5 straddles the cap of 5
    await waitUntil(() => events.length === 2);
    expect(events.map((e) => e.kind === 'LINE' && [e.text, e.truncated])).toEqual([
      ['ab€', true],
      ['abc', true],
    ]);
  });

  it('replaces invalid UTF-8 and rejoins a character split across writes', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const { lines } = collect(path);
    await sleep(150);
    const euro = Buffer.from('€');
    appendFileSync(
      path,
      Buffer.concat([
        Buffer.from('bad '),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(' x\nprice 5'),
        euro.subarray(0, 1),
      ]),
    );
    await waitUntil(() => lines().length === 1);
    await sleep(150); // the follower has read the first byte of € by now
    appendFileSync(path, Buffer.concat([euro.subarray(1), Buffer.from('\r\n')]));
    await waitUntil(() => lines().length === 2);
    expect(lines()).toEqual(['bad \uFFFD\uFFFD x', 'price 5€']);
  });

  it('resumes right after a cursor: no gap, no duplicate', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'l1\nl2\nl3\n');
    const first = collect(path, { startAt: 'start' });
    await waitUntil(() => first.lines().length === 3);
    const after = first.events[1].cursor;
    appendFileSync(path, 'l4\n');
    const second = collect(path, { startAt: after });
    await waitUntil(() => second.lines().length === 2);
    expect(second.lines()).toEqual(['l3', 'l4']);
  });

  it('resuming from a cursor into a file that is gone says ROTATED once a new file appears', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'old\n');
    const first = collect(path, { startAt: 'start' });
    await waitUntil(() => first.lines().length === 1);
    const cursor = first.events[0].cursor;
    rmSync(path);
    const second = collect(path, { startAt: cursor });
    await sleep(200);
    writeFileSync(path, 'new\n');
    await waitUntil(() => second.events.length === 2);
    expect(second.events.map((e) => (e.kind === 'LINE' ? e.text : e.kind))).toEqual([
      'ROTATED',
      'new',
    ]);
  });

  it('does not follow a symlink planted at the configured path', async () => {
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'top secret\n');
    const path = join(dir, 'app.log');
    symlinkSync(secret, path);
    const { events, lines } = collect(path, { startAt: 'start' });
    await sleep(300);
    appendFileSync(secret, 'more secret\n');
    await sleep(300);
    expect(events).toEqual([]);
    rmSync(path);
    writeFileSync(path, 'real\n'); // a real file there is followed as usual
    await waitUntil(() => lines().length === 1);
    expect(lines()).toEqual(['real']);
  });
});
