import { describe, expect, it } from 'vitest';
import { INITIAL_ANSI } from '../../lib/ui/ansi.parse';
import { findMatches, markLine } from './output.find';
import type { OutputLine } from './output.reducer';

const style = INITIAL_ANSI.style;
const line = (id: number, ...texts: string[]): OutputLine => ({
  id,
  spans: texts.map((text) => ({ text, style, stderr: false })),
});

describe('find in output', () => {
  const lines = [line(0, 'Error: disk'), line(1, 'ok'), line(2, 'err', 'OR and error')];

  it('finds every case-insensitive match, in line order', () => {
    expect(findMatches(lines, 'ERROR')).toEqual([
      { line: 0, at: 0 },
      { line: 2, at: 0 },
      { line: 2, at: 10 },
    ]);
    expect(findMatches(lines, '')).toEqual([]);
    expect(findMatches([line(0, 'aaaa')], 'aa')).toEqual([
      { line: 0, at: 0 },
      { line: 0, at: 2 },
    ]);
  });

  it('cuts spans at matches, across span borders, marking the current one', () => {
    const marked = markLine(lines[2], 'error', 0);
    expect(marked.map((s) => [s.text, s.mark])).toEqual([
      ['err', 2],
      ['OR', 2],
      [' and ', 0],
      ['error', 1],
    ]);
    expect(markLine(lines[1], 'error', null).map((s) => s.mark)).toEqual([0]);
  });
});
