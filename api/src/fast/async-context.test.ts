import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { installAsyncContextSwitch } from './async-context.js';

installAsyncContextSwitch();

// Node 20 keeps a storage's promise hooks while it is `enabled` (an internal flag, read here)
const enabled = (s: AsyncLocalStorage<unknown>) => (s as unknown as { enabled: boolean }).enabled;

describe('AsyncLocalStorage idle switch-off', () => {
  it('disables a storage once no asynchronous run() is in flight, and its next run works as before', async () => {
    const s = new AsyncLocalStorage<number>();
    await s.run(1, async () => {
      await tick();
      expect(s.getStore()).toBe(1);
    });
    expect(enabled(s)).toBe(true);
    await tick();
    await tick();
    expect(enabled(s)).toBe(false);
    await s.run(2, async () => {
      await tick();
      expect(s.getStore()).toBe(2);
    });
  });

  it('keeps every storage on while any run is in flight: a long run keeps seeing its store', async () => {
    const a = new AsyncLocalStorage<string>();
    const b = new AsyncLocalStorage<string>();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const long = a.run('long', async () => {
      await gate;
      return a.getStore();
    });
    await b.run('short', async () => tick());
    await tick();
    await tick();
    expect(enabled(a)).toBe(true);
    expect(enabled(b)).toBe(true);
    release();
    expect(await long).toBe('long');
    await tick();
    await tick();
    expect(enabled(a)).toBe(false);
    expect(enabled(b)).toBe(false);
  });

  it('leaves alone a storage used with a synchronous run() or enterWith()', async () => {
    const s = new AsyncLocalStorage<number>();
    s.run(1, () => setTimeout(() => undefined, 0));
    await s.run(2, async () => tick());
    await tick();
    await tick();
    expect(enabled(s)).toBe(true);
  });

  it('passes a rejection through to the caller', async () => {
    const s = new AsyncLocalStorage<number>();
    await expect(s.run(1, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
