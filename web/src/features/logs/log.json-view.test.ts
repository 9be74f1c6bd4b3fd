import { describe, expect, it } from 'vitest';
import { addCondition, condition, fieldNames } from './log.json-view';
import { toRow } from './log.reducer';

const row = (fields: { name: string; value: string }[] | null, id = 0) =>
  toRow({ cursor: `c${id}`, kind: 'LINE', text: '{}', truncated: false, fields }, id);

describe('JSON columns', () => {
  it('lists the field names of the loaded JSON lines, sorted, once each', () => {
    const rows = [
      row(
        [
          { name: 'status', value: '200' },
          { name: 'req.method', value: 'GET' },
        ],
        1,
      ),
      row(null, 2),
      row(
        [
          { name: 'status', value: '500' },
          { name: 'err', value: 'x' },
        ],
        3,
      ),
    ];
    expect(fieldNames(rows)).toEqual(['err', 'req.method', 'status']);
    expect(rows[1]!.entry).toBeNull();
  });

  it('builds name=value conditions, quoted when needed, added once', () => {
    expect(condition('status', '500')).toBe('status=500');
    expect(condition('msg', 'connection reset')).toBe('msg="connection reset"');
    expect(condition('q', 'say "hi"')).toBe('q="say \\"hi\\""');
    expect(condition('e', '')).toBe('e=""');
    expect(addCondition('', 'status=500')).toBe('status=500');
    expect(addCondition('level>=warn ', 'status=500')).toBe('level>=warn status=500');
    expect(addCondition('level>=warn status=500', 'status=500')).toBe('level>=warn status=500');
  });
});
