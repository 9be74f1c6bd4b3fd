import { describe, expect, it } from 'vitest';
import type { LogEvent } from './log.event.js';
import { isoTimeOf, mergeHistories } from './log.merge-order.js';

const line = (text: string): LogEvent => ({
  kind: 'LINE',
  text,
  truncated: false,
  cursor: { ino: 1, offset: 0 },
});
const merge = (...lists: string[][]) =>
  mergeHistories(
    lists.map((l) => l.map(line)),
    (e) => e,
    isoTimeOf,
  ).map((e) => (e.kind === 'LINE' ? e.text : e.kind));

describe('mergeHistories', () => {
  it('orders by time across sources, keeps untimed lines after their predecessor', () => {
    expect(
      merge(
        ['2024-01-01T00:00:02Z b', 'b cont', '2024-01-01T00:00:04Z d'],
        ['2024-01-01 00:00:01.5 a', '2024-01-01T01:00:03+01:00 c'],
      ),
    ).toEqual([
      '2024-01-01 00:00:01.5 a',
      '2024-01-01T00:00:02Z b',
      'b cont',
      '2024-01-01T01:00:03+01:00 c',
      '2024-01-01T00:00:04Z d',
    ]);
  });

  it('without times, keeps source order; each source stays in its own order', () => {
    expect(merge(['x2', 'x1'], ['y1'], [])).toEqual(['x2', 'x1', 'y1']);
    expect(
      merge(
        ['2024-01-01T00:00:09Z late', '2024-01-01T00:00:01Z early'],
        ['2024-01-01T00:00:05Z mid'],
      ),
    ).toEqual([
      '2024-01-01T00:00:05Z mid',
      '2024-01-01T00:00:09Z late',
      '2024-01-01T00:00:01Z early',
    ]);
  });

  it('reads RFC 3339 / ISO-8601 at the start of a line only', () => {
    expect(isoTimeOf('2024-05-01T10:00:00Z x')).toBe(Date.UTC(2024, 4, 1, 10));
    expect(isoTimeOf('2024-05-01T12:00:00+0200 x')).toBe(Date.UTC(2024, 4, 1, 10));
    expect(isoTimeOf('[2024-05-01 10:00:00,250] x')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 250));
    expect(isoTimeOf('x 2024-05-01T10:00:00Z')).toBeNull();
    expect(isoTimeOf('2024-13-45T99:00:00Z')).toBeNull();
  });
});
