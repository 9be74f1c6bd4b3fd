import { describe, expect, it } from 'vitest';
import {
  downloadHref,
  formatLineTime,
  fromLocalInput,
  gutterChars,
  toLocalInput,
} from './log.time';

describe('log times', () => {
  it('shows a clock for today, the day too for another day, the year for another year', () => {
    const now = new Date(2026, 11, 7, 12, 0, 0);
    expect(formatLineTime(new Date(2026, 11, 7, 1, 2, 3, 45).toISOString(), now)).toBe(
      '01:02:03.045',
    );
    expect(formatLineTime(new Date(2026, 11, 6, 23, 0, 0).toISOString(), now)).toBe(
      'Dec 6 23:00:00.000',
    );
    expect(formatLineTime(new Date(2025, 0, 2, 3, 4, 5).toISOString(), now)).toBe(
      '2025 Jan 2 03:04:05.000',
    );
    expect(formatLineTime('not a time', now)).toBe('');
  });

  it('turns datetime-local values into ISO and back', () => {
    const iso = fromLocalInput('2026-12-07T01:02:03');
    expect(iso).toBe(new Date(2026, 11, 7, 1, 2, 3).toISOString());
    expect(toLocalInput(iso)).toBe('2026-12-07T01:02:03');
    expect(fromLocalInput('')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });

  it('builds the download address with only the parts given', () => {
    expect(downloadHref('app', {})).toBe('/logs/app/lines.txt');
    expect(
      downloadHref('a b', { filter: '/x+/', since: '2026-12-07T00:00:00.000Z', until: null }),
    ).toBe('/logs/a%20b/lines.txt?filter=%2Fx%2B%2F&since=2026-12-07T00%3A00%3A00.000Z');
    expect(downloadHref('api', { filter: '', where: 'status>=500' })).toBe(
      '/logs/api/lines.txt?where=status%3E%3D500',
    );
  });

  it('sizes the time gutter for the widest of the oldest and newest timed rows', () => {
    const now = new Date(2026, 11, 7, 12, 0, 0);
    const at = (d: Date | null) => ({ time: d ? d.toISOString() : null });
    expect(gutterChars([at(null), at(null)], now)).toBe(0);
    expect(gutterChars([at(null), at(new Date(2026, 11, 7, 1)), at(null)], now)).toBe(12);
    const days = [at(new Date(2026, 11, 6, 1)), at(null), at(new Date(2026, 11, 7, 1))];
    expect(gutterChars(days, now)).toBe('Dec 6 01:00:00.000'.length);
    expect(gutterChars([at(new Date(2025, 9, 12)), ...days], now)).toBe(
      '2025 Oct 12 00:00:00.000'.length,
    );
  });
});
