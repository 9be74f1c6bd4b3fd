import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogCursor } from './log.cursor.js';
import type { LogEvent } from './log.event.js';
import { compileFilter } from './log.filter.js';
import { createLogHub, type LogHub, type LogSubscription } from './log.hub.js';
import { openFdCount, sleep, startWriter, tempDir } from '../../test/log.testkit.js';
import { waitUntil } from '../../test/wait.js';

let dir: string;
let cleanup: () => void;
let hub: LogHub;
const subs: LogSubscription[] = [];
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  hub = createLogHub({ pollMs: 100, rotateWaitMs: 100 });
});
afterEach(async () => {
  await Promise.all(subs.splice(0).map((s) => s.return()));
  await hub.settled();
  cleanup();
});

function consume(sub: LogSubscription): {
  events: LogEvent[];
  texts: () => string[];
  done: Promise<void>;
} {
  subs.push(sub);
  const events: LogEvent[] = [];
  const done = (async () => {
    for await (const e of sub) events.push(e);
  })();
  return { events, texts: () => events.flatMap((e) => (e.kind === 'LINE' ? [e.text] : [])), done };
}

describe('log hub', () => {
  it('shares one follower between subscribers and closes it with the last one', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const a = consume(hub.subscribe(path));
    const b = consume(hub.subscribe(path, { filter: compileFilter('even') }));
    await waitUntil(() => hub.stats().subscribers === 2);
    await sleep(200);
    expect(hub.stats()).toMatchObject({ followers: 1, subscribers: 2 });
    appendFileSync(path, 'one odd\ntwo even\n');
    await waitUntil(() => a.texts().length === 2 && b.texts().length === 1);
    expect(b.texts()).toEqual(['two even']);
    await subs[0].return();
    expect(hub.stats()).toMatchObject({ followers: 1, subscribers: 1 });
    await subs[1].return();
    await Promise.all([a.done, b.done]);
    expect(hub.stats()).toMatchObject({ followers: 0, subscribers: 0 });
  });

  it('backfill then live: no gap and no duplicate while a writer appends', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const writer = startWriter(path, 3000, 10, 2);
    await waitUntil(() => lineCountOnDisk(path) > 500, {
      timeoutMs: 10_000,
      what: 'some lines on disk',
    });
    const sub = consume(hub.subscribe(path, { startAt: { backfill: 50 } }));
    await writer.done;
    await waitUntil(() => sub.texts().some((t) => t.startsWith('line 3000 ')), {
      timeoutMs: 10_000,
      what: 'the last line',
    });
    assertContiguous(sub.texts(), 3000);
    expect(sub.texts().length).toBeGreaterThan(50);
  });

  it('resuming after a cursor, again and again, continues exactly after that line while a writer appends', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const writer = startWriter(path, 4000, 10, 2);
    let writing = true;
    void writer.done.then(() => (writing = false));
    const seen: string[] = [];
    let cursor: LogCursor | null = null;
    for (let round = 0; ; round++) {
      // from round 3 on, another subscriber keeps the follower running between resumes
      if (round === 3) consume(hub.subscribe(path));
      const sub = hub.subscribe(path, { startAt: cursor ? { after: cursor } : 'end' });
      const part = consume(sub);
      await waitUntil(
        () =>
          part.texts().length >= 200 ||
          (!writing && part.texts().some((t) => t.startsWith('line 4000 '))),
        { timeoutMs: 10_000, what: 'a batch' },
      );
      await sub.return();
      const lines = part.events.filter((e) => e.kind === 'LINE');
      seen.push(...part.texts());
      cursor = lines.at(-1)?.cursor ?? cursor;
      if (seen.at(-1)?.startsWith('line 4000 ')) break;
    }
    assertContiguous(seen, 4000);
  });

  it('resuming after a cursor while the file is gone: ROTATED, then the new file from its start', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'old 1\nold 2\n');
    const first = consume(hub.subscribe(path, { startAt: { backfill: 2 } }));
    await waitUntil(() => first.texts().length === 2);
    await subs[0].return();
    await hub.settled();
    rmSync(path);
    const second = consume(hub.subscribe(path, { startAt: { after: first.events[0].cursor } }));
    await sleep(200);
    writeFileSync(path, 'new 1\n');
    await waitUntil(() => second.events.length === 2);
    expect(second.events.map((e) => (e.kind === 'LINE' ? e.text : e.kind))).toEqual([
      'ROTATED',
      'new 1',
    ]);
  });

  it('gives a slow subscriber one DROPPED with the exact count; a fast one gets everything', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const fast = consume(hub.subscribe(path));
    const slow = hub.subscribe(path, { queueSize: 10 });
    subs.push(slow);
    const warm = slow.next();
    await sleep(300);
    appendFileSync(path, 'warmup\n');
    expect((await warm).value).toMatchObject({ kind: 'LINE', text: 'warmup' });
    for (let i = 1; i <= 100; i++) appendFileSync(path, `line ${i} \n`);
    await waitUntil(() => fast.texts().length === 101);
    const got: LogEvent[] = [];
    for (let i = 0; i < 11; i++) got.push((await slow.next()).value!);
    expect(got.slice(0, 10).map((e) => e.kind === 'LINE' && e.text)).toEqual(
      Array.from({ length: 10 }, (_, i) => `line ${i + 1} `),
    );
    expect(got[10]).toEqual({ kind: 'DROPPED', count: 90, cursor: fast.events.at(-1)!.cursor });
    appendFileSync(path, 'after the gap\n');
    expect((await slow.next()).value).toMatchObject({ kind: 'LINE', text: 'after the gap' });
  });

  it('1,000 subscribe/unsubscribe cycles leave the open fd count where it started', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'only line\n');
    const cycle = async (i: number): Promise<void> => {
      const a = hub.subscribe(path, { startAt: { backfill: 1 } });
      const b = hub.subscribe(path); // live only: its next() is still pending when it leaves
      expect((await a.next()).value).toMatchObject({ kind: 'LINE', text: 'only line' });
      const pending = b.next();
      if (i % 2) await sleep(0);
      await Promise.all([a.return(), b.return()]);
      expect(await pending).toEqual({ done: true, value: undefined });
    };
    await cycle(0);
    await hub.settled();
    const baseline = openFdCount();
    for (let i = 1; i <= 1000; i++) await cycle(i);
    await hub.settled();
    expect(hub.stats()).toEqual({ followers: 0, subscribers: 0, closing: 0 });
    expect(openFdCount()).toBe(baseline);
  });

  it('close() ends open subscriptions, parked or not, and releases every follower', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'only line\n');
    const baseline = openFdCount();
    const parked = consume(hub.subscribe(path)); // waiting in take()
    const idle = hub.subscribe(join(dir, 'other.log'), { startAt: { backfill: 1 } });
    const first = idle.next(); // file missing: attached, then waiting
    await waitUntil(() => hub.stats().subscribers === 2);
    await sleep(100);
    await hub.close();
    await parked.done;
    expect(await first).toEqual({ done: true, value: undefined });
    expect(hub.stats()).toEqual({ followers: 0, subscribers: 0, closing: 0 });
    expect(openFdCount()).toBe(baseline);
  });
});

function lineCountOnDisk(path: string): number {
  return readFileSync(path, 'utf8').split('\n').length - 1;
}

/** Every number from the first one seen up to `last`, each exactly once, in order. */
function assertContiguous(texts: string[], last: number): void {
  const numbers = texts.map((t) => Number(/^line (\d+) /.exec(t)![1]));
  const first = numbers[0];
  expect(numbers).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
}
