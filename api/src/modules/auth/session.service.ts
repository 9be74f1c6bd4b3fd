import type { Context } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import { auditAs } from '../audit/audit.service.js';
import { User } from '../users/user.entity.js';
import { ApiToken } from './api-token.entity.js';
import { requireAdmin, requireViewer } from './guards.js';
import { Session } from './session.entity.js';

export type EndCause =
  'signOutEverywhere' | 'endUserSessions' | 'passwordChanged' | 'passwordReset' | 'disabled';

/**
 * The one rule for ending credentials. `keepSessionId`: the session that asked stays (one's own
 * password change, signing out everywhere else). `tokens`: API tokens are revoked too (an
 * administrator's reset, disable, or endUserSessions); one's own actions keep them, since they
 * are deliberate credentials listed on the account page. Caches and open streams end at once.
 */
export async function endSessions(
  ctx: Context,
  user: { id: string; username: string },
  opts: { reason: EndCause; keepSessionId?: string; tokens: boolean },
): Promise<{ sessions: number; tokens: number }> {
  const sessions = await ctx.em.nativeDelete(Session, {
    userId: user.id,
    ...(opts.keepSessionId ? { id: { $ne: opts.keepSessionId } } : {}),
  });
  const tokens = opts.tokens
    ? await ctx.em.nativeUpdate(
        ApiToken,
        { userId: user.id, revokedAt: null },
        { revokedAt: new Date() },
      )
    : 0;
  ctx.app.pubsub.publish(
    'authRevoked',
    opts.tokens
      ? { userId: user.id }
      : { userId: user.id, sessionsOnly: true, keep: opts.keepSessionId },
  );
  await auditAs(ctx, 'SESSIONS_ENDED', {
    target: user.id,
    detail: { user: user.username, reason: opts.reason, sessions, tokens },
  });
  return { sessions, tokens };
}

/** Ends every session of the caller except the one asking; API tokens stay. */
export async function signOutEverywhere(ctx: Context): Promise<boolean> {
  const viewer = requireViewer(ctx);
  const keep = viewer.kind === 'session' ? viewer.credentialId : undefined;
  await endSessions(
    ctx,
    { id: viewer.userId, username: viewer.username },
    { reason: 'signOutEverywhere', keepSessionId: keep, tokens: false },
  );
  return true;
}

/** ADMIN: ends every session of a user and revokes every API token of theirs. */
export async function endUserSessions(ctx: Context, id: string): Promise<boolean> {
  requireAdmin(ctx);
  const user = await ctx.em.findOne(User, { id });
  if (!user) throw new NotFoundError('That user');
  await endSessions(ctx, user, { reason: 'endUserSessions', tokens: true });
  return true;
}
