// The shared bounded queue: each overflow policy, compaction, ending, failing, closing.
import { describe, expect, it } from 'vitest';
import { BoundedQueue, QueueOverflowError } from './queue.js';

const takeAll = <T>(q: BoundedQueue<T>): T[] => {
  const out: T[] = [];
  for (let item = q.poll(); item !== undefined; item = q.poll()) out.push(item);
  return out;
};

describe('BoundedQueue', () => {
  it('close: past the limit the consumer gets what was queued, then QueueOverflowError', async () => {
    let unsubscribed = 0;
    const q = new BoundedQueue<number>({ limit: 3 });
    q.onCleanup(() => unsubscribed++);
    expect([1, 2, 3].map((n) => q.push(n))).toEqual([true, true, true]);
    expect(q.push(4)).toBe(false);
    expect(unsubscribed).toBe(1); // the producer's listener goes at once
    expect(q.push(5)).toBe(false);
    const s = q.stream();
    expect([(await s.next()).value, (await s.next()).value, (await s.next()).value]).toEqual([
      1, 2, 3,
    ]);
    await expect(s.next()).rejects.toBeInstanceOf(QueueOverflowError);
    expect((await s.next()).done).toBe(true);
  });

  it('close: the overflow message counts bytes for a weighed queue, events otherwise', async () => {
    const bytes = new BoundedQueue<string>({ limit: 2 * 1024 * 1024, weigh: (t) => t.length });
    bytes.push('x'.repeat(2 * 1024 * 1024 + 1));
    await expect(bytes.stream().next()).rejects.toThrow('more than 2 MiB behind');
    const events = new BoundedQueue<number>({ limit: 1 });
    events.push(1);
    events.push(2);
    const s = events.stream();
    await s.next();
    await expect(s.next()).rejects.toThrow('more than 1 events behind');
  });

  it('close: a failure reaches a consumer that is already waiting', async () => {
    const q = new BoundedQueue<number>({ limit: 1 });
    const waiting = q.take();
    q.fail(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
  });

  it('refuse: push says false and keeps nothing; room comes back as the consumer reads', () => {
    const q = new BoundedQueue<string>({ limit: 2, overflow: 'refuse' });
    expect(['a', 'b', 'c'].map((x) => q.push(x))).toEqual([true, true, false]);
    expect(q.poll()).toBe('a');
    expect(q.push('d')).toBe(true);
    expect(takeAll(q)).toEqual(['b', 'd']);
  });

  it('pause: keeps everything, pauses the producer above the limit and resumes it at resumeAt', () => {
    const pressure: boolean[] = [];
    const q = new BoundedQueue<number>({
      limit: 10,
      weigh: (n) => n,
      overflow: { pause: (p) => pressure.push(p), resumeAt: 4 },
    });
    for (let i = 0; i < 4; i++) expect(q.push(3)).toBe(true);
    expect(pressure).toEqual([true]); // 12 > 10
    q.poll();
    q.poll();
    expect(pressure).toEqual([true]); // 6 still waiting
    q.poll();
    expect(pressure).toEqual([true, false]);
    expect(q.weightNow).toBe(3);
  });

  it('pause: closing un-pauses the producer and drops the backlog', () => {
    const pressure: boolean[] = [];
    const q = new BoundedQueue<number>({
      limit: 1,
      overflow: { pause: (p) => pressure.push(p), resumeAt: 0 },
    });
    q.push(1);
    q.push(2);
    q.close();
    expect(pressure).toEqual([true, false]);
    expect(q.size).toBe(0);
    expect(q.push(3)).toBe(false);
  });

  it('merges into the last queued item and counts the weight of both', () => {
    const q = new BoundedQueue<string>({
      limit: 100,
      weigh: (s) => s.length,
      merge: (last, next) => (last.length + next.length <= 4 ? last + next : undefined),
    });
    for (const s of ['ab', 'c', 'd', 'ef']) q.push(s);
    expect(q.weightNow).toBe(6);
    expect(takeAll(q)).toEqual(['abcd', 'ef']);
    expect(q.weightNow).toBe(0);
  });

  it('stays in order across compactions, with a long backlog read while it grows', () => {
    const q = new BoundedQueue<number>({ limit: 1_000_000 });
    const seen: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 3000; i++) q.push(next++);
      for (let i = 0; i < 2500; i++) seen.push(q.poll()!);
    }
    seen.push(...takeAll(q));
    expect(seen).toHaveLength(150_000);
    expect(seen.every((n, i) => n === i)).toBe(true);
  });

  it('end: the consumer reads what is queued, then the end; cleanup runs once', async () => {
    let cleaned = 0;
    const q = new BoundedQueue<number>({ limit: 10 });
    q.onCleanup(() => cleaned++);
    q.push(1);
    q.end();
    expect(q.push(2)).toBe(false);
    const got: number[] = [];
    for await (const n of q.stream()) got.push(n);
    expect(got).toEqual([1]);
    expect(cleaned).toBe(1);
  });

  it('end wakes a consumer that is waiting', async () => {
    const q = new BoundedQueue<number>({ limit: 10 });
    const waiting = q.take();
    const woken = q.wait();
    q.end();
    expect(await waiting).toEqual({ value: undefined, done: true });
    await woken;
  });

  it('an aborted signal closes the queue and wakes a waiting consumer', async () => {
    const ac = new AbortController();
    let cleaned = 0;
    const q = new BoundedQueue<number>({ limit: 10, signal: ac.signal });
    q.onCleanup(() => cleaned++);
    const waiting = q.take();
    ac.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(cleaned).toBe(1);
    const late = new BoundedQueue<number>({ limit: 10, signal: ac.signal });
    expect(late.push(1)).toBe(false);
  });

  it('hands an item straight to a waiting consumer, even one past the limit', async () => {
    const q = new BoundedQueue<string>({ limit: 1, weigh: (s) => s.length });
    const waiting = q.take();
    expect(q.push('long')).toBe(true);
    expect(await waiting).toEqual({ value: 'long', done: false });
  });
});
