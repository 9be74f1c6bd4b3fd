import { describe, expect, it } from 'vitest';
import { durationBetween, formatBytes, formatDuration } from './format';

describe('format', () => {
  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(104857600)).toBe('100 MB');
    expect(formatBytes(null)).toBe('—');
  });

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
    expect(formatDuration(null)).toBe('—');
  });

  it('measures a run, open-ended ones up to now', () => {
    expect(durationBetween('2024-01-01T00:00:00Z', '2024-01-01T00:00:02Z')).toBe(2000);
    expect(durationBetween('2024-01-01T00:00:00Z', null, Date.parse('2024-01-01T00:01:00Z'))).toBe(
      60_000,
    );
  });
});
