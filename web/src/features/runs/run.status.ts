import type { RunStatus } from '../../lib/graphql/generated/graphql';

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

/** Every status, in the order above (the Record keeps it complete against the schema's enum). */
export const RUN_STATUSES = Object.keys(LABELS) as readonly RunStatus[];

export const statusLabel = (s: RunStatus): string => LABELS[s] ?? s;

/** argv as one line a person can read; each element quoted when it needs to be. */
export function argvText(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
