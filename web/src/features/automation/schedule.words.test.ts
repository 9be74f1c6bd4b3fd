import { describe, expect, it } from 'vitest';
import { cronInWords, formatNextRun } from './schedule.words';

describe('cronInWords', () => {
  it('says the common shapes in words', () => {
    expect(cronInWords('*/2 * * * * *')).toBe('every 2 seconds');
    expect(cronInWords('* * * * * *')).toBe('every second');
    expect(cronInWords('* * * * *')).toBe('every minute');
    expect(cronInWords('*/15 * * * *')).toBe('every 15 minutes');
    expect(cronInWords('5 * * * *')).toBe('every hour at minute 5');
    expect(cronInWords('0 3 * * *')).toBe('every day at 03:00');
  });

  it('leaves the rest as written', () => {
    expect(cronInWords('0 3 * * 1-5')).toBeNull();
    expect(cronInWords('0 3 1 * *')).toBeNull();
    expect(cronInWords('0,30 3 * * *')).toBeNull();
    expect(cronInWords('@daily')).toBeNull();
  });
});

describe('formatNextRun', () => {
  it('names the zone, with seconds only when asked', () => {
    const t = formatNextRun('2026-01-16T02:00:00Z', false, 'en-GB');
    expect(t).toMatch(/16 Jan 2026/);
    expect(t).toMatch(/[A-Z]{2,5}|GMT|UTC/);
    expect(formatNextRun('2026-01-16T02:00:04Z', true, 'en-GB')).toMatch(/:04/);
  });
});
