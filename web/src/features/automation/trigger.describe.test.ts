import { describe, expect, it } from 'vitest';
import { describeAction, describeCooldown, logsHref } from './trigger.describe';

describe('trigger descriptions', () => {
  it('says what a trigger does', () => {
    const args = [{ name: 'service', value: '{{proc}}' }];
    expect(describeAction({ command: 'restart', args, notify: [] })).toBe(
      'runs restart service={{proc}}',
    );
    expect(describeAction({ command: 'restart', args: [], notify: ['ops', 'mail'] })).toBe(
      'runs restart, notifies ops, mail',
    );
    expect(describeAction({ command: null, args: [], notify: ['ops'] })).toBe('notifies ops');
    expect(describeAction({ command: null, args: [], notify: [] })).toBe('does nothing');
  });

  it('says a cooldown in its largest whole unit', () => {
    expect([0, 45, 60, 300, 90, 7200].map(describeCooldown)).toEqual([
      'none',
      '45 s',
      '1 min',
      '5 min',
      '90 s',
      '2 h',
    ]);
  });

  it('links to the Logs page with the pattern as its filter', () => {
    expect(logsHref('app', '/a (?<x>b)/')).toBe(
      '/logs?source=app&filter=%2Fa+%28%3F%3Cx%3Eb%29%2F',
    );
  });
});
