import type { Context } from '../../context.js';
import { BadUserInputError } from '../../errors.js';
import { newestFirst, type Page } from '../../pagination/keyset.js';
import { userView, type UserView } from '../auth/authenticator.js';
import { requireAdmin } from '../auth/guards.js';
import { User } from '../users/user.entity.js';
import { AuditEvent, type AuditAction } from './audit-event.entity.js';

/** An event with its actor, when that user still exists (one query per page, not per row). */
export interface AuditEventView {
  event: AuditEvent;
  actor: UserView | null;
}

export interface AuditEventsArgs {
  first?: number | null;
  after?: string | null;
  action?: AuditAction | null;
  actor?: string | null;
  since?: Date | null;
  until?: Date | null;
}

const ID_MAX = 64;
const CURSOR_MAX = 200;

/** ADMIN: the audit trail, newest first, filtered by action, actor and time range (both ends included). */
export async function listAuditEvents(
  ctx: Context,
  args: AuditEventsArgs,
): Promise<Page<AuditEventView>> {
  requireAdmin(ctx);
  if (args.actor != null && args.actor.length > ID_MAX)
    throw new BadUserInputError('`actor` is not a user id.', { field: 'actor' });
  if (args.after != null && args.after.length > CURSOR_MAX)
    throw new BadUserInputError('The `after` cursor is not one this server gave out.');
  if (args.since && args.until && args.since > args.until) {
    throw new BadUserInputError(
      '`since` is after `until`: give a time range that starts before it ends.',
      { field: 'since' },
    );
  }
  const where: Record<string, unknown> = {};
  if (args.action) where.action = args.action;
  if (args.actor != null) where.actorId = args.actor;
  if (args.since || args.until)
    where.at = {
      ...(args.since ? { $gte: args.since } : {}),
      ...(args.until ? { $lte: args.until } : {}),
    };
  const page = await newestFirst(ctx.em, AuditEvent, where, 'at', {
    first: args.first ?? 50,
    after: args.after,
  });
  const ids = [...new Set(page.edges.flatMap((e) => (e.node.actorId ? [e.node.actorId] : [])))];
  const users = ids.length ? await ctx.em.find(User, { id: { $in: ids } }) : [];
  const byId = new Map(users.map((u) => [u.id, userView(u)]));
  return {
    edges: page.edges.map((e) => ({
      cursor: e.cursor,
      node: { event: e.node, actor: (e.node.actorId && byId.get(e.node.actorId)) || null },
    })),
    pageInfo: page.pageInfo,
  };
}
