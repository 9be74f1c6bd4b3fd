// The history page's filters and page, from the URL query to query variables. Pure.
import type { RunStatus, RunTrigger } from '../../lib/graphql/generated/graphql';
import { localToIso } from '../audit/audit.filters';
import { RUN_STATUSES } from './run.status';
import { RUN_TRIGGERS } from './run.trigger';

export interface RunFilters {
  command: string | null;
  status: RunStatus | null;
  /** what started the runs: by hand, a schedule, a webhook, a log trigger */
  trigger: RunTrigger | null;
  startedBy: string | null;
  since: string | null;
  until: string | null;
  /** the cursor of the page shown: null for the newest */
  after: string | null;
}

/** The URL keys the history page keeps its state in (a filter change clears `after`). */
export const FILTER_KEYS = ['command', 'status', 'trigger', 'user', 'from', 'to'] as const;

// what the server accepts; longer values in a hand-edited URL are dropped, not sent
const MAX = { command: 64, id: 64, cursor: 200 };

const bounded = (v: string | null, max: number) => (v && v.length <= max ? v : null);

/** The query variables for the filters in the URL; unknown or oversized values are left out. */
export function runFiltersFromQuery(q: URLSearchParams): RunFilters {
  const status = q.get('status');
  const trigger = q.get('trigger');
  return {
    command: bounded(q.get('command'), MAX.command),
    status: status && (RUN_STATUSES as string[]).includes(status) ? (status as RunStatus) : null,
    trigger:
      trigger && (RUN_TRIGGERS as string[]).includes(trigger) ? (trigger as RunTrigger) : null,
    startedBy: bounded(q.get('user'), MAX.id),
    since: localToIso(q.get('from')),
    until: localToIso(q.get('to'), true),
    after: bounded(q.get('after'), MAX.cursor),
  };
}
