import { describe, expect, it } from 'vitest';
import { lastStatus, matches, sections } from './commands.filter';

const cmd = (name: string, group: string | null = null, description = '') => ({
  name,
  title: name.replace(/-/g, ' ').toUpperCase(),
  description,
  group,
});

describe('commands search and sections', () => {
  it('matches every word against name, title and description, in any case', () => {
    const c = cmd('disk-usage', 'System', 'Free space on a mount point');
    expect(matches(c, '')).toBe(true);
    expect(matches(c, '  ')).toBe(true);
    expect(matches(c, 'DISK')).toBe(true);
    expect(matches(c, 'mount free')).toBe(true);
    expect(matches(c, 'mount nginx')).toBe(false);
    expect(matches(c, 'DISK USAGE')).toBe(true); // the title
  });

  it('groups in first-seen order, ungrouped last, and drops empty groups', () => {
    const list = [cmd('a'), cmd('b', 'Web'), cmd('c', 'Disks'), cmd('d', 'Web'), cmd('e')];
    expect(sections(list, '').map((s) => [s.group, s.commands.map((c) => c.name)])).toEqual([
      ['Web', ['b', 'd']],
      ['Disks', ['c']],
      [null, ['a', 'e']],
    ]);
    expect(sections(list, 'd').map((s) => [s.group, s.commands.map((c) => c.name)])).toEqual([
      ['Web', ['d']],
    ]);
    expect(sections(list, 'nothing')).toEqual([]);
  });

  it('keeps the newest status of each command', () => {
    const runs = [
      { commandName: 'a', status: 'FAILED' },
      { commandName: 'b', status: 'RUNNING' },
      { commandName: 'a', status: 'SUCCEEDED' },
    ];
    expect([...lastStatus(runs)]).toEqual([
      ['a', 'FAILED'],
      ['b', 'RUNNING'],
    ]);
  });
});
