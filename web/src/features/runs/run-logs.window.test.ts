import { describe, expect, it } from 'vitest';
import { appendLines, logsHref } from './run-logs.window';

const line = (n: number) => ({ cursor: `c${n}`, text: `line ${n}` });

describe('a watched log panel', () => {
  it('appends, skips lines a resumed stream sends again, and keeps the newest', () => {
    const shown = appendLines([], [line(1), line(2)]);
    expect(appendLines(shown, [line(2), line(3)]).map((l) => l.cursor)).toEqual(['c1', 'c2', 'c3']);
    expect(appendLines(shown, [line(3), line(4)], 3).map((l) => l.cursor)).toEqual([
      'c2',
      'c3',
      'c4',
    ]);
  });

  it('links to the Logs page at the run’s window', () => {
    expect(logsHref('nginx-error', '2026-01-01T00:00:00.000Z', null)).toBe(
      '/logs?source=nginx-error&since=2026-01-01T00%3A00%3A00.000Z',
    );
    expect(logsHref('a', 's', 'u')).toBe('/logs?source=a&since=s&until=u');
  });
});
