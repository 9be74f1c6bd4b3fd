import { describe, expect, it } from 'vitest';
import { diffRows, foldSame, summary, type DiffRow } from './run.diff';

const shown = (rows: DiffRow[]) =>
  rows.map((r) => (r.kind === 'fold' ? `… ${r.count}` : `${r.kind[0]} ${r.text}`));
const numbered = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => `line ${i + from}`).join('\n') + '\n';

describe('the diff of two runs’ outputs', () => {
  it('shows a changed line as removed then added, between unchanged ones', () => {
    const rows = diffRows('a\nb\nc\n', 'a\nx\nc\n');
    expect(shown(rows)).toEqual(['s a', 'r b', 'a x', 's c']);
    expect(summary(rows)).toEqual({ added: 1, removed: 1 });
  });

  it('folds a long unchanged stretch, keeping context next to each change', () => {
    const a = `first\n${numbered(20)}last\n`;
    const b = `FIRST\n${numbered(20)}LAST\n`;
    expect(shown(diffRows(a, b, 2))).toEqual([
      'r first',
      'a FIRST',
      's line 1',
      's line 2',
      '… 16',
      's line 19',
      's line 20',
      'r last',
      'a LAST',
    ]);
  });

  it('folds the leading and trailing stretches on their outer side only', () => {
    const rows = diffRows(
      `${numbered(10)}old\n${numbered(10, 11)}`,
      `${numbered(10)}new\n${numbered(10, 11)}`,
      3,
    );
    expect(shown(rows)).toEqual([
      '… 7',
      's line 8',
      's line 9',
      's line 10',
      'r old',
      'a new',
      's line 11',
      's line 12',
      's line 13',
      '… 7',
    ]);
    const fold = rows[0];
    expect(fold.kind === 'fold' && fold.lines).toEqual(numbered(7).trimEnd().split('\n'));
  });

  it('does not fold a stretch no longer than what a fold would hide', () => {
    expect(shown(foldSame(['x', 'y', 'z'], 1, true, true))).toEqual(['s x', 's y', 's z']);
    expect(shown(foldSame(['w', 'x', 'y', 'z'], 1, true, true))).toEqual(['s w', '… 2', 's z']);
  });

  it('two identical outputs: one fold, nothing added or removed', () => {
    const rows = diffRows(numbered(50), numbered(50));
    expect(shown(rows)).toEqual(['… 50']);
    expect(summary(rows)).toEqual({ added: 0, removed: 0 });
  });
});
