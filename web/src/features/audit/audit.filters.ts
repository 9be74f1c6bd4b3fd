// The audit page's filters: from the URL query to query variables, and an event's detail as text. Pure.
import type { AuditAction } from '../../lib/graphql/generated/graphql';

/** Every action with the words the page shows for it (the type keeps it in step with the schema). */
export const ACTION_LABELS: Record<AuditAction, string> = {
  SIGN_IN: 'Signed in',
  SIGN_IN_FAILED: 'Sign-in failed',
  SIGN_IN_LIMITED: 'Sign-in limited',
  SIGN_OUT: 'Signed out',
  SESSIONS_ENDED: 'Sessions ended',
  PASSWORD_CHANGED: 'Password changed',
  USER_CREATED: 'User created',
  USER_UPDATED: 'User changed',
  USER_DELETED: 'User deleted',
  TOKEN_CREATED: 'Token created',
  TOKEN_REVOKED: 'Token revoked',
  RUN_STARTED: 'Run started',
  RUN_CANCELLED: 'Run cancelled',
  FILE_UPLOADED: 'File uploaded',
  FILE_DOWNLOADED: 'File downloaded',
  FILE_DELETED: 'File deleted',
  CONFIG_RELOADED: 'Config reloaded',
  CONFIG_REFUSED: 'Config refused',
  HOOK_REFUSED: 'Webhook refused',
  RUN_EXPLAINED: 'Run explained (AI)',
  LOG_EXPLAINED: 'Log lines explained (AI)',
  RUN_APPROVAL_REQUESTED: 'Run approval requested',
  RUN_APPROVED: 'Run approved',
  RUN_REJECTED: 'Run rejected',
  RUN_EXPIRED: 'Run approval expired',
  RUN_APPROVAL_WITHDRAWN: 'Run request withdrawn',
};

export const AUDIT_ACTIONS = Object.keys(ACTION_LABELS) as AuditAction[];

export interface AuditFilters {
  action: AuditAction | null;
  actor: string | null;
  since: string | null;
  until: string | null;
}

const LOCAL_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** A `datetime-local` value (local time, to the minute) as an ISO instant; `end` is the minute's last millisecond. */
export function localToIso(value: string | null, end = false): string | null {
  if (!value || !LOCAL_MINUTE.test(value)) return null;
  const ms = new Date(value).getTime(); // no zone in the text: read as local time
  return Number.isNaN(ms) ? null : new Date(ms + (end ? 59_999 : 0)).toISOString();
}

/** The query variables for the filters in the URL; unknown values are left out, not sent. */
export function filtersFromQuery(q: URLSearchParams): AuditFilters {
  const action = q.get('action');
  return {
    action: action && (AUDIT_ACTIONS as string[]).includes(action) ? (action as AuditAction) : null,
    actor: q.get('actor') || null,
    since: localToIso(q.get('since')),
    until: localToIso(q.get('until'), true),
  };
}

/** `{"command":"x","argv":["a","b"]}` as `command: x · argv: a b`; text that is not a JSON object as it is. */
export function detailText(detail: string | null | undefined): string {
  if (!detail) return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return detail;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return detail;
  const show = (v: unknown): string =>
    Array.isArray(v)
      ? v
          .map((x) => (typeof x === 'string' && !/\s/.test(x) && x !== '' ? x : JSON.stringify(x)))
          .join(' ')
      : typeof v === 'string'
        ? v
        : JSON.stringify(v);
  return Object.entries(parsed)
    .map(([k, v]) => `${k}: ${show(v)}`)
    .join(' · ');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id is shown by its first 8 characters (the whole one in a tooltip); a path or name as it is. */
export function shortTarget(target: string | null | undefined): string {
  if (!target) return '';
  return UUID.test(target) ? target.slice(0, 8) : target;
}
