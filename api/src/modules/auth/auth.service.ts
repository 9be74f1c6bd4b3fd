import type { Context } from '../../context.js';
import { BadUserInputError, NotFoundError, UnauthenticatedError } from '../../errors.js';
import { burnVerifyTime, hashPassword, needsRehash, PASSWORD_MAX, verifyPassword } from '../users/password.js';
import { User } from '../users/user.entity.js';
import { ApiToken } from './api-token.entity.js';
import { requireViewer } from './guards.js';
import { Session } from './session.entity.js';
import { hashToken, newToken } from './token.js';

export const SESSION_COOKIE = 'tiny_agent_session';

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

const WRONG = 'Wrong username or password.';

export async function login(ctx: Context, args: { username: string; password: string }) {
  const { limiter, metrics, config, log } = ctx.app;
  limiter.check(args.username, ctx.clientIp);
  const user = args.username.length <= 64 ? await ctx.em.findOne(User, { username: args.username }) : null;
  // one message and about one cost for every failure, so usernames can't be probed
  const ok = user && !user.disabled && args.password.length <= PASSWORD_MAX
    ? await verifyPassword(user.passwordHash, args.password)
    : (await burnVerifyTime(args.password), false);
  if (!ok || !user) {
    limiter.fail(args.username, ctx.clientIp);
    metrics.failedLogins.inc();
    log.warn('sign-in failed', { username: args.username.slice(0, 64), ip: ctx.clientIp });
    throw new UnauthenticatedError(WRONG);
  }
  limiter.succeed(args.username);
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
  ctx.app.pubsub.publish('userChanged', { userId: user.id });
  ctx.setCookies.push(sessionCookie(token, config.sessionMaxSeconds, ctx.secure));
  log.info('signed in', { userId: user.id, ip: ctx.clientIp });
  return { user, token, expiresAt: session.expiresAt };
}

export async function logout(ctx: Context): Promise<boolean> {
  ctx.setCookies.push(sessionCookie('', 0, ctx.secure));
  const viewer = ctx.viewer;
  if (!viewer) return true;
  if (viewer.kind === 'session') await ctx.em.nativeDelete(Session, { id: viewer.credentialId });
  ctx.app.pubsub.publish('authRevoked', { credentialId: viewer.credentialId });
  ctx.app.log.info('signed out', { userId: viewer.userId });
  return true;
}

export async function listApiTokens(ctx: Context): Promise<ApiToken[]> {
  const viewer = requireViewer(ctx);
  return ctx.em.find(ApiToken, { userId: viewer.userId, revokedAt: null }, { orderBy: { createdAt: 'desc' } });
}

export async function createApiToken(ctx: Context, args: { name: string; expiresInDays?: number | null }) {
  const viewer = requireViewer(ctx);
  const name = args.name.trim();
  if (!name || name.length > 100) throw new BadUserInputError('A token name is 1 to 100 characters.', { field: 'name' });
  const days = args.expiresInDays;
  if (days != null && (days < 1 || days > 3650)) {
    throw new BadUserInputError('expiresInDays must be between 1 and 3650, or left out for no expiry.', { field: 'expiresInDays' });
  }
  const secret = newToken('apiToken');
  const apiToken = ctx.em.create(ApiToken, {
    userId: viewer.userId,
    name,
    tokenHash: hashToken(secret),
    expiresAt: days != null ? new Date(Date.now() + days * 86_400_000) : null,
  } as ApiToken);
  await ctx.em.flush();
  ctx.app.log.info('API token created', { userId: viewer.userId, tokenId: apiToken.id });
  return { apiToken, secret };
}

export async function revokeApiToken(ctx: Context, id: string): Promise<boolean> {
  const viewer = requireViewer(ctx);
  const token = await ctx.em.findOne(ApiToken, { id, revokedAt: null });
  // someone else's token answers exactly like a missing one
  if (!token || (token.userId !== viewer.userId && viewer.role !== 'ADMIN')) throw new NotFoundError('That API token');
  token.revokedAt = new Date();
  await ctx.em.flush();
  ctx.app.pubsub.publish('authRevoked', { credentialId: token.id });
  ctx.app.log.info('API token revoked', { tokenId: token.id, by: viewer.userId });
  return true;
}
