import type { RunStatus } from '../../lib/graphql/generated/graphql';

export const RUN_STATUSES: readonly RunStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'INTERRUPTED',
  'PENDING_APPROVAL',
  'REJECTED',
  'EXPIRED',
];

const LABELS: Record<RunStatus, string> = {
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
  TIMED_OUT: 'Timed out',
  INTERRUPTED: 'Interrupted',
  PENDING_APPROVAL: 'Waiting for approval',
  REJECTED: 'Rejected',
  EXPIRED: 'Expired',
};

export const statusLabel = (s: RunStatus): string => LABELS[s] ?? s;

/** argv as one line a person can read; each element quoted when it needs to be. */
export function argvText(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
