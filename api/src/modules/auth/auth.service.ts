import type { Context } from '../../context.js';
import {
  BadUserInputError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
} from '../../errors.js';
import { auditAs, recordAudit } from '../audit/audit.service.js';
import {
  burnVerifyTime,
  hashPassword,
  needsRehash,
  PASSWORD_MAX,
  verifyPassword,
} from '../users/password.js';
import { User } from '../users/user.entity.js';
import { ApiToken } from './api-token.entity.js';
import { requireViewer } from './guards.js';
import type { Attempt } from './login-limiter.js';
import { clearedSessionCookies, sessionCookie } from './session.cookie.js';
import { Session } from './session.entity.js';
import { hashToken, newToken } from './token.js';
import type { Viewer } from './viewer.js';

const WRONG = 'Wrong username or password.';
export const USERNAME_MAX = 64;

/** Impossible lengths are refused before anything is looked up, counted, stored or hashed. */
function checkLoginBounds(args: { username: string; password: string }): void {
  if (args.username.length > USERNAME_MAX) {
    throw new BadUserInputError(`A username is at most ${USERNAME_MAX} characters.`, {
      field: 'username',
    });
  }
  if (args.password.length > PASSWORD_MAX) {
    throw new BadUserInputError(`A password is at most ${PASSWORD_MAX} characters.`, {
      field: 'password',
    });
  }
}

/**
 * A place in the limiter for one password guess on `username`, or RATE_LIMITED. The first
 * refusal of a key in its window is audited; later ones are not, so a flood can't fill the table.
 */
export async function reserveGuess(
  ctx: Context,
  username: string,
  address: string | null,
  via: 'login' | 'changePassword',
): Promise<Attempt> {
  const place = await ctx.app.limiter.reserve(username, address);
  if (place.ok) return place.attempt;
  if (place.first) {
    await recordAudit(ctx.app, {
      action: 'SIGN_IN_LIMITED',
      actorName: username,
      ip: ctx.clientIp,
      detail: { via, retryAfterSeconds: place.retryAfterSeconds },
    });
  }
  const minutes = Math.ceil(place.retryAfterSeconds / 60);
  const what = via === 'login' ? 'failed sign-ins' : 'wrong passwords';
  throw new RateLimitedError(
    `Too many ${what}. Try again in ${minutes} minute(s).`,
    place.retryAfterSeconds,
  );
}

export async function login(ctx: Context, args: { username: string; password: string }) {
  checkLoginBounds(args);
  const { metrics, config, log } = ctx.app;
  const attempt = await reserveGuess(ctx, args.username, ctx.clientIp, 'login');
  let user: User | null;
  let ok: boolean;
  try {
    user = await ctx.em.findOne(User, { username: args.username });
    // one message and about one cost for every failure, so usernames can't be probed
    ok =
      user && !user.disabled
        ? await verifyPassword(user.passwordHash, args.password)
        : (await burnVerifyTime(args.password), false);
  } catch (err) {
    await attempt.cancel();
    throw err;
  }
  if (!ok || !user) {
    await attempt.fail();
    metrics.failedLogins.inc();
    log.warn('sign-in failed', { username: args.username, ip: ctx.clientIp });
    const reason = !user ? 'unknown user' : user.disabled ? 'disabled' : 'wrong password';
    await recordAudit(ctx.app, {
      action: 'SIGN_IN_FAILED',
      actorName: args.username,
      ip: ctx.clientIp,
      target: user?.id,
      detail: { reason },
    });
    throw new UnauthenticatedError(WRONG);
  }
  await attempt.succeed();
  if (needsRehash(user.passwordHash)) user.passwordHash = await hashPassword(args.password);
  const token = newToken('session');
  const now = Date.now();
  // a new session (and id) at every sign-in: nothing fixed before login survives it
  const session = ctx.em.create(Session, {
    userId: user.id,
    tokenHash: hashToken(token),
    expiresAt: new Date(now + config.sessionMaxSeconds * 1000),
  } as Session);
  user.lastLoginAt = new Date(now);
  await ctx.em.flush();
  await refuseIfChangedMeanwhile(ctx, user, session);
  ctx.app.pubsub.publish('userChanged', { userId: user.id });
  ctx.setCookies.push(sessionCookie(token, config.sessionMaxSeconds, ctx.secure));
  log.info('signed in', { userId: user.id, ip: ctx.clientIp });
  await recordAudit(ctx.app, {
    action: 'SIGN_IN',
    actor: { userId: user.id, username: user.username },
    ip: ctx.clientIp,
    target: session.id,
  });
  return { user, token, expiresAt: session.expiresAt };
}

/**
 * A disable or password reset that landed while this sign-in verified the old password has
 * already ended the user's sessions: the one made here must not outlive it. Read after the
 * insert is stored, so either that end removed the row or this read sees the change.
 */
async function refuseIfChangedMeanwhile(ctx: Context, user: User, session: Session): Promise<void> {
  const now = await ctx.em
    .fork()
    .findOne(User, { id: user.id }, { fields: ['disabled', 'passwordHash'] });
  if (now && !now.disabled && now.passwordHash === user.passwordHash) return;
  await ctx.em.fork().nativeDelete(Session, { id: session.id });
  throw new UnauthenticatedError(WRONG);
}

export async function logout(ctx: Context): Promise<boolean> {
  ctx.setCookies.push(...clearedSessionCookies(ctx.secure));
  const viewer = ctx.viewer;
  if (!viewer) return true;
  if (viewer.kind === 'session') await ctx.em.nativeDelete(Session, { id: viewer.credentialId });
  ctx.app.pubsub.publish('authRevoked', { credentialId: viewer.credentialId });
  ctx.app.log.info('signed out', { userId: viewer.userId });
  await auditAs(ctx, 'SIGN_OUT', {
    target: viewer.credentialId,
    detail: { credential: viewer.kind },
  });
  return true;
}

export async function listApiTokens(ctx: Context): Promise<ApiToken[]> {
  const viewer = requireViewer(ctx);
  return ctx.em.find(
    ApiToken,
    { userId: viewer.userId, revokedAt: null },
    { orderBy: { createdAt: 'desc' } },
  );
}

export async function createApiToken(
  ctx: Context,
  args: { name: string; expiresInDays?: number | null },
) {
  const viewer = requireViewer(ctx);
  const name = args.name.trim();
  if (!name || name.length > 100)
    throw new BadUserInputError('A token name is 1 to 100 characters.', { field: 'name' });
  const days = args.expiresInDays;
  if (days != null && (days < 1 || days > 3650)) {
    throw new BadUserInputError(
      'expiresInDays must be between 1 and 3650, or left out for no expiry.',
      { field: 'expiresInDays' },
    );
  }
  const secret = newToken('apiToken');
  const apiToken = ctx.em.create(ApiToken, {
    userId: viewer.userId,
    name,
    tokenHash: hashToken(secret),
    expiresAt: days != null ? new Date(Date.now() + days * 86_400_000) : null,
  } as ApiToken);
  await ctx.em.flush();
  // the credential that asked may have been ended while this token was written (a reset, a
  // disable, endUserSessions): their revoke ran before our row existed, so check once it does
  if (!(await credentialStillValid(ctx, viewer))) {
    await ctx.em.nativeUpdate(ApiToken, { id: apiToken.id }, { revokedAt: new Date() });
    throw new UnauthenticatedError(
      'Your session ended while the token was being made. Sign in again.',
    );
  }
  ctx.app.log.info('API token created', { userId: viewer.userId, tokenId: apiToken.id });
  await auditAs(ctx, 'TOKEN_CREATED', {
    target: apiToken.id,
    detail: { name, expiresInDays: days ?? null },
  });
  return { apiToken, secret };
}

async function credentialStillValid(ctx: Context, viewer: Viewer): Promise<boolean> {
  const em = ctx.em.fork();
  const user = await em.findOne(User, { id: viewer.userId });
  if (!user || user.disabled) return false;
  return viewer.kind === 'session'
    ? (await em.count(Session, { id: viewer.credentialId })) > 0
    : (await em.count(ApiToken, { id: viewer.credentialId, revokedAt: null })) > 0;
}

export async function revokeApiToken(ctx: Context, id: string): Promise<boolean> {
  const viewer = requireViewer(ctx);
  const token = await ctx.em.findOne(ApiToken, { id, revokedAt: null });
  // someone else's token answers exactly like a missing one
  if (!token || (token.userId !== viewer.userId && viewer.role !== 'ADMIN'))
    throw new NotFoundError('That API token');
  token.revokedAt = new Date();
  await ctx.em.flush();
  ctx.app.pubsub.publish('authRevoked', { credentialId: token.id });
  ctx.app.log.info('API token revoked', { tokenId: token.id, by: viewer.userId });
  await auditAs(ctx, 'TOKEN_REVOKED', {
    target: token.id,
    detail: { name: token.name, owner: token.userId },
  });
  return true;
}
