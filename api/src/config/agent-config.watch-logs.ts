// A command's `watchLogs:`: log sources whose lines written during a run are shown beside its
// output. Names are checked against the file's `logs:` in watchLogsIssues (a cross-entry check).
import { z } from 'zod';
import type { ConfigIssue } from './agent-config.checks.js';

/** A run page stays readable with a handful of panels; more is a config mistake. */
export const MAX_WATCHED_LOGS = 5;
const NAME_RE = /^[a-z][a-z0-9-]{0,62}$/;

export const watchLogsSchema = z
  .array(z.string().regex(NAME_RE, 'must name a log source of this file'))
  .max(MAX_WATCHED_LOGS, `at most ${MAX_WATCHED_LOGS} log sources`)
  .default([])
  .transform((names) => [...new Set(names)]);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every watched name must be a `logs:` source of the same file. */
export function watchLogsIssues(raw: Record<string, unknown>): ConfigIssue[] {
  const sources = new Set(
    list(raw.logs).map((l) => (isRecord(l) && typeof l.name === 'string' ? l.name : undefined)),
  );
  const issues: ConfigIssue[] = [];
  list(raw.commands).forEach((cmd, i) => {
    if (!isRecord(cmd)) return;
    list(cmd.watchLogs).forEach((name, j) => {
      if (typeof name === 'string' && !sources.has(name))
        issues.push({
          path: ['commands', i, 'watchLogs', j],
          message: `unknown log source "${name.slice(0, 64)}": add it under logs: or remove it here`,
        });
    });
  });
  return issues;
}
