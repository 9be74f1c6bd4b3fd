import { describe, expect, it } from 'vitest';
import { EXPLAIN_MAX_BYTES, EXPLAIN_MAX_LINES, linesToExplain } from './log.explain';
import type { LogRow } from './log.reducer';

const row = (raw: string, kind: LogRow['kind'] = 'LINE'): LogRow =>
  ({
    id: 0,
    kind,
    cursor: '',
    display: raw,
    spans: [],
    level: null,
    truncated: false,
    raw,
    json: null,
    entry: null,
    file: null,
    time: null,
  }) as unknown as LogRow;

describe('linesToExplain', () => {
  it('takes the last lines, oldest first, leaving notices out', () => {
    expect(linesToExplain([row('a'), row('rotated', 'ROTATED'), row('b'), row('c')])).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
  it('stops at 200 lines and at 16 KiB, keeping the newest', () => {
    const many = Array.from({ length: 500 }, (_, i) => row(`line ${i}`));
    const picked = linesToExplain(many);
    expect(picked).toHaveLength(EXPLAIN_MAX_LINES);
    expect(picked.at(-1)).toBe('line 499');
    const big = Array.from({ length: 100 }, (_, i) => row(`${i}`.padEnd(1000, 'x')));
    const fit = linesToExplain(big);
    expect(new TextEncoder().encode(fit.join('\n')).length).toBeLessThanOrEqual(EXPLAIN_MAX_BYTES);
    expect(fit).toHaveLength(16);
    expect(fit.at(-1)!.startsWith('99')).toBe(true);
  });
});
