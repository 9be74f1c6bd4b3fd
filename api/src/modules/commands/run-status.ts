// A run's statuses, once: the entity's type, the GraphQL enum and the CLI's --status check read this
// list (no imports, so the CLI's bundle takes it without the ORM).
export const RUN_STATUSES = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'INTERRUPTED',
  /** waiting for a second person (agent.yaml `approval`); nothing runs yet */
  'PENDING_APPROVAL',
  /** an approver said no: it never ran (a withdrawn request ends CANCELLED) */
  'REJECTED',
  /** nobody approved it within `approval.expiresAfter`: it never ran */
  'EXPIRED',
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];
