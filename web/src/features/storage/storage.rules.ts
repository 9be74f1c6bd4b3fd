// agent.yaml `retention:` in words, one line per kind of data (pure, so it is tested alone).
import { formatBytes } from '../../lib/ui/format';

export interface Rules {
  runsDays?: number | null;
  runsPerCommand?: number | null;
  outputBytes?: number | null;
  uploadsDays?: number | null;
  auditDays?: number | null;
}

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

export function describeRules(r: Rules): { what: string; rule: string }[] {
  const runs = [
    r.runsDays ? `finished ${days(r.runsDays)} ago or more are deleted` : null,
    r.runsPerCommand ? `only the newest ${r.runsPerCommand} per command are kept` : null,
  ].filter(Boolean);
  return [
    { what: 'Runs', rule: runs.length ? capital(runs.join('; ')) : 'Kept forever' },
    {
      what: 'Run output',
      rule: r.outputBytes
        ? `Oldest removed past ${formatBytes(r.outputBytes)} in all (the runs stay)`
        : 'Kept while the runs are',
    },
    {
      what: 'Uploads',
      rule: r.uploadsDays ? `Deleted ${days(r.uploadsDays)} after upload` : 'Kept forever',
    },
    {
      what: 'Audit events',
      rule: r.auditDays ? `Deleted after ${days(r.auditDays)}` : 'Kept forever',
    },
  ];
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What a sweep removed, in words: "2 runs, the output of 1 run, 0 uploads, 0 audit events". */
export function describeSweep(r: {
  runs: number;
  outputs: number;
  uploads: number;
  auditEvents: number;
}): string {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  return [
    n(r.runs, 'run'),
    `the output of ${n(r.outputs, 'run')}`,
    n(r.uploads, 'upload'),
    n(r.auditEvents, 'audit event'),
  ].join(', ');
}
