import { describe, expect, it } from 'vitest';
import { applyRunUpdate, upsertRun } from './run.list';

const run = (id: string, status: string, minute: number) => ({
  id,
  status,
  startedAt: `2024-01-01T00:${String(minute).padStart(2, '0')}:00Z`,
});

describe('run lists', () => {
  it('upserts newest first within a limit', () => {
    const list = [run('b', 'RUNNING', 2), run('a', 'SUCCEEDED', 1)];
    expect(upsertRun(list, run('c', 'RUNNING', 3), 2).map((r) => r.id)).toEqual(['c', 'b']);
    expect(upsertRun(list, run('a', 'FAILED', 1)).map((r) => `${r.id}:${r.status}`)).toEqual([
      'b:RUNNING',
      'a:FAILED',
    ]);
  });

  it('moves a finished run out of the running list', () => {
    const before = { running: [run('a', 'RUNNING', 1)], recent: [run('a', 'RUNNING', 1)] };
    const after = applyRunUpdate(before.running, before.recent, run('a', 'SUCCEEDED', 1));
    expect(after.running).toEqual([]);
    expect(after.recent[0].status).toBe('SUCCEEDED');
  });
});
