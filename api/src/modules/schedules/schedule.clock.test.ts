// The clock's arithmetic on a fake clock: a wait beyond setTimeout's 2^31 ms, and no drift.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cronOf } from '../../config/agent-config.schedules.js';
import { ScheduleClock } from './schedule.clock.js';

beforeEach(() => vi.useFakeTimers({ now: new Date('2026-01-02T00:00:00Z') }));
afterEach(() => vi.useRealTimers());

describe('ScheduleClock', () => {
  it('waits a year (far past 2^31 ms) in steps and fires once, at the time', async () => {
    const fired: Date[] = [];
    const clock = new ScheduleClock(cronOf('0 0 1 1 *', 'UTC'), (d) => fired.push(d)).start();
    await vi.advanceTimersByTimeAsync(300 * 24 * 3600 * 1000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(64 * 24 * 3600 * 1000);
    expect(fired.map((d) => d.toISOString())).toEqual(['2027-01-01T00:00:00.000Z']);
    clock.stop();
  });

  it('fires each time of a six-field cron once, at whole seconds, and nothing after stop', async () => {
    const fired: number[] = [];
    const clock = new ScheduleClock(cronOf('*/2 * * * * *', 'UTC'), (d) => {
      fired.push(d.getTime());
      expect(Date.now()).toBeGreaterThanOrEqual(d.getTime()); // never early
    }).start();
    await vi.advanceTimersByTimeAsync(10_000);
    const t0 = Date.parse('2026-01-02T00:00:00Z');
    expect(fired).toEqual([2, 4, 6, 8, 10].map((s) => t0 + s * 1000));
    clock.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fired).toHaveLength(5);
  });
});
