// The one async iterator: cleanup runs exactly once, whichever way a stream ends.
import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './queue.js';
import { Stream } from './stream.js';

function counted<T>(
  pull: () => IteratorResult<T, undefined> | Promise<IteratorResult<T, undefined>>,
) {
  const state = { cleaned: 0 };
  const stream = new Stream(pull, () => {
    state.cleaned++;
  });
  return { stream, state };
}

describe('Stream', () => {
  it('return() while the consumer waits: the waiting next() ends, cleanup runs once', async () => {
    const q = new BoundedQueue<number>({ limit: 10 });
    let cleaned = 0;
    q.onCleanup(() => cleaned++);
    const s = q.stream();
    const waiting = s.next();
    await s.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    await s.return();
    expect(cleaned).toBe(1);
    expect(q.push(1)).toBe(false);
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });

  it('throw() cleans up and hands the error back', async () => {
    const { stream, state } = counted(() => ({ value: 1, done: false }));
    expect(await stream.next()).toEqual({ value: 1, done: false });
    await expect(stream.throw(new Error('stop'))).rejects.toThrow('stop');
    expect(state.cleaned).toBe(1);
    expect((await stream.next()).done).toBe(true);
  });

  it('a pull that throws or rejects: cleanup first, then the consumer sees the error', async () => {
    for (const pull of [
      () => {
        throw new Error('sync');
      },
      () => Promise.reject(new Error('async')),
    ]) {
      const { stream, state } = counted(pull);
      await expect(stream.next()).rejects.toThrow(/sync|async/);
      expect(state.cleaned).toBe(1);
      expect((await stream.next()).done).toBe(true);
      await stream.return();
      expect(state.cleaned).toBe(1);
    }
  });

  it('the end of the source cleans up; for-await and break clean up once', async () => {
    let n = 0;
    const ended = counted(() =>
      n < 2 ? { value: n++, done: false } : { value: undefined, done: true },
    );
    const got: number[] = [];
    for await (const v of ended.stream) got.push(v);
    expect(got).toEqual([0, 1]);
    expect(ended.state.cleaned).toBe(1);

    const endless = counted(() => Promise.resolve({ value: 1, done: false }));
    for await (const v of endless.stream) if (v) break;
    expect(endless.state.cleaned).toBe(1);
  });

  it('back-pressure: a consumer that reads slowly still gets every item in order', async () => {
    const pressure: boolean[] = [];
    const q = new BoundedQueue<number>({
      limit: 100,
      overflow: { pause: (p) => pressure.push(p), resumeAt: 25 },
    });
    let sent = 0;
    // the producer pushes while it is not paused, as a pipe would
    const produce = () => {
      while (sent < 1000 && (pressure.at(-1) !== true || pressure.length === 0)) q.push(sent++);
      if (sent === 1000) q.end();
    };
    const got: number[] = [];
    const s = q.stream();
    produce();
    for (;;) {
      const r = await s.next();
      if (r.done) break;
      got.push(r.value);
      if (pressure.at(-1) === false) produce();
    }
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(pressure.length).toBeGreaterThan(2);
    expect(q.weightNow).toBe(0);
  });
});
