import { describe, expect, it } from 'vitest';
import { mergedSources, mergedVariables, mergeParam, sourceColour } from './log.merged';

describe('the merged view', () => {
  it('reads the sources from the URL: the chosen one first, no repeats, at most 10', () => {
    expect(mergedSources('app', 'web, db,app,,web')).toEqual(['app', 'web', 'db']);
    expect(mergedSources('app', null)).toEqual(['app']);
    expect(mergedSources('', 'web')).toEqual(['web']);
    const many = Array.from({ length: 20 }, (_, i) => `s${i}`).join(',');
    expect(mergedSources('app', many)).toHaveLength(10);
    expect(mergeParam('app', ['app', 'web', 'web', 'db'])).toBe('web,db');
    expect(mergeParam('app', ['app'])).toBeNull();
  });

  it('resumes each source after its own cursor; the silent ones get the backfill', () => {
    const cursors = new Map([['web', 'c-web']]);
    expect(mergedVariables(['app', 'web'], cursors, 200, ' err ')).toEqual({
      sources: ['app', 'web'],
      backfill: 200,
      filter: 'err',
      after: [{ source: 'web', cursor: 'c-web' }],
    });
    expect(mergedVariables(['app'], new Map(), 0, '').after).toBeNull();
  });

  it('gives the sources of one view different colours', () => {
    const s = ['a', 'b', 'c'];
    expect(new Set(s.map((n) => sourceColour(s, n))).size).toBe(3);
  });
});
