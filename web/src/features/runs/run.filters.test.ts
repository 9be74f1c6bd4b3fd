import { describe, expect, it } from 'vitest';
import { runFiltersFromQuery } from './run.filters';

describe('runFiltersFromQuery', () => {
  it('reads every filter and the page cursor from the URL', () => {
    const f = runFiltersFromQuery(
      new URLSearchParams(
        'command=deploy&status=FAILED&trigger=SCHEDULE&user=u-1&from=2026-03-01T10:00&to=2026-03-02T09:30&after=abc',
      ),
    );
    expect(f).toMatchObject({
      command: 'deploy',
      status: 'FAILED',
      trigger: 'SCHEDULE',
      startedBy: 'u-1',
      after: 'abc',
    });
    expect(f.since).toBe(new Date('2026-03-01T10:00').toISOString());
    // the end minute is included
    expect(Date.parse(f.until!) - Date.parse(new Date('2026-03-02T09:30').toISOString())).toBe(
      59_999,
    );
  });

  it('leaves out unknown, malformed and oversized values', () => {
    const f = runFiltersFromQuery(
      new URLSearchParams(
        `status=NOPE&trigger=CRON&from=yesterday&user=${'x'.repeat(65)}&command=`,
      ),
    );
    expect(f).toEqual({
      command: null,
      status: null,
      trigger: null,
      startedBy: null,
      since: null,
      until: null,
      after: null,
    });
  });
});
