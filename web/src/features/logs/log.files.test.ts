import { describe, expect, it } from 'vitest';
import { fileStarts } from './log.files';
import { toRow, type LogEvent } from './log.reducer';

const line = (text: string, file: string | null): LogEvent => ({
  cursor: text,
  kind: 'LINE',
  text,
  truncated: false,
  file,
});

describe('fileStarts', () => {
  it('marks the first row of each file after another, not the very first, notices skipped', () => {
    const rows = [
      line('a', 'app.log.2.gz'),
      line('b', 'app.log.2.gz'),
      { cursor: 'r', kind: 'ROTATED', text: '', truncated: false } as LogEvent,
      line('c', 'app.log.1'),
      line('d', null),
      line('e', 'app.log'),
    ].map((e, i) => toRow(e, i));
    expect([...fileStarts(rows)]).toEqual([
      [3, 'app.log.1'],
      [5, 'app.log'],
    ]);
  });
});
