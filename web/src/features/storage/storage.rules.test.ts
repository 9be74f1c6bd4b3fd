import { describe, expect, it } from 'vitest';
import { describeRules, describeSweep } from './storage.rules';

describe('describeRules', () => {
  it('says "kept forever" where no rule is set', () => {
    expect(describeRules({}).map((r) => r.rule)).toEqual([
      'Kept forever',
      'Kept while the runs are',
      'Kept forever',
      'Kept forever',
    ]);
  });
  it('words every rule', () => {
    expect(
      describeRules({
        runsDays: 90,
        runsPerCommand: 1000,
        outputBytes: 5 * 2 ** 30,
        uploadsDays: 1,
        auditDays: 365,
      }),
    ).toEqual([
      {
        what: 'Runs',
        rule: 'Finished 90 days ago or more are deleted; only the newest 1000 per command are kept',
      },
      { what: 'Run output', rule: 'Oldest removed past 5.0 GB in all (the runs stay)' },
      { what: 'Uploads', rule: 'Deleted 1 day after upload' },
      { what: 'Audit events', rule: 'Deleted after 365 days' },
    ]);
  });
  it('words what a sweep removed', () => {
    expect(describeSweep({ runs: 2, outputs: 1, uploads: 0, auditEvents: 1 })).toBe(
      '2 runs, the output of 1 run, 0 uploads, 1 audit event',
    );
  });
});
