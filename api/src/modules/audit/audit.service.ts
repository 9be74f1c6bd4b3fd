import type { AppServices, Context } from '../../context.js';
import type { AuditAction } from './audit-event.entity.js';
import { AuditEvent } from './audit-event.entity.js';

export interface AuditEntry {
  action: AuditAction;
  /** the signed-in person who acted; left out for the server itself */
  actor?: { userId: string; username: string } | null;
  /** a name with no user behind it (a failed sign-in's username); bounded before it is stored */
  actorName?: string | null;
  ip?: string | null;
  target?: string | null;
  /** facts about the event: stored as JSON, bounded; never a secret */
  detail?: Record<string, unknown> | null;
}

const DETAIL_MAX = 4096;

const cut = (s: string | null | undefined, max: number): string | null =>
  s == null ? null : s.length > max ? s.slice(0, max) : s;

function detailText(detail: Record<string, unknown> | null | undefined): string | null {
  if (!detail) return null;
  const text = JSON.stringify(detail);
  // a cut JSON text would not parse: keep it parseable and say it was cut
  return text.length <= DETAIL_MAX
    ? text
    : JSON.stringify({ truncated: true, text: text.slice(0, DETAIL_MAX - 64) });
}

/**
 * Appends one event to the audit trail (database) and the system log (one JSON line). Never
 * throws: a failure to record is logged as an error, and the action it describes goes on.
 */
export async function recordAudit(
  app: Pick<AppServices, 'orm' | 'log'>,
  entry: AuditEntry,
): Promise<void> {
  const event = new AuditEvent();
  event.action = entry.action;
  event.actorId = entry.actor?.userId ?? null;
  event.actorName = cut(entry.actor?.username ?? entry.actorName, 64);
  event.ip = cut(entry.ip, 64);
  event.target = cut(entry.target, 256);
  event.detail = detailText(entry.detail);
  app.log.info('audit', {
    audit: event.action,
    actorId: event.actorId,
    actorName: event.actorName,
    ip: event.ip,
    target: event.target,
    detail: event.detail,
  });
  try {
    await app.orm.em.fork().insert(AuditEvent, event);
  } catch (err) {
    app.log.error('could not store an audit event', { action: event.action, err: String(err) });
  }
}

/** An event done by the signed-in viewer of a GraphQL operation, from its address. */
export function auditAs(
  ctx: Context,
  action: AuditAction,
  rest: Omit<AuditEntry, 'action' | 'actor' | 'ip'> = {},
): Promise<void> {
  const v = ctx.viewer;
  return recordAudit(ctx.app, {
    action,
    actor: v ? { userId: v.userId, username: v.username } : null,
    ip: ctx.clientIp,
    ...rest,
  });
}
