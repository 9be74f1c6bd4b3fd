import type { EntityManager } from '@mikro-orm/core';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AppServices, Context } from '../../context.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../errors.js';
import type { UserView } from '../auth/authenticator.js';
import { auditAs } from '../audit/audit.service.js';
import { reserveGuess } from '../auth/auth.service.js';
import { requireAdmin, requireViewer } from '../auth/guards.js';
import { endSessions } from '../auth/session.service.js';
import { StoredFile } from '../files/file.entity.js';
import { removeStoredBytes } from '../files/file.service.js';
import { checkPasswordBounds, hashPassword, PASSWORD_MAX, verifyPassword } from './password.js';
import { AUTOMATION_USER_ID, User, type Role } from './user.entity.js';

const USERNAME = /^[a-zA-Z0-9_.-]{1,64}$/;

function checkUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw new BadUserInputError('A username is 1 to 64 letters, digits, "_", "." or "-".', {
      field: 'username',
    });
  }
}

export function me(ctx: Context): UserView | null | Promise<UserView | null> {
  return ctx.viewer ? ctx.app.auth.user(ctx.viewer.userId) : null;
}

export async function listUsers(ctx: Context): Promise<User[]> {
  requireAdmin(ctx);
  return ctx.em.find(User, { id: { $ne: AUTOMATION_USER_ID } }, { orderBy: { username: 'asc' } });
}

export async function createUser(
  ctx: Context,
  args: { username: string; password: string; role: Role },
): Promise<User> {
  requireAdmin(ctx);
  checkUsername(args.username);
  checkPasswordBounds(args.password);
  if (await ctx.em.count(User, { username: args.username })) {
    throw new ConflictError(`The username "${args.username}" is taken.`);
  }
  const user = ctx.em.create(User, {
    username: args.username,
    role: args.role,
    passwordHash: await hashPassword(args.password),
  } as User);
  await ctx.em.flush();
  ctx.app.log.info('user created', {
    userId: user.id,
    username: user.username,
    role: user.role,
    by: ctx.viewer!.userId,
  });
  await auditAs(ctx, 'USER_CREATED', {
    target: user.id,
    detail: { user: user.username, role: user.role },
  });
  return user;
}

export async function updateUser(
  ctx: Context,
  args: { id: string; role?: Role | null; disabled?: boolean | null; password?: string | null },
): Promise<User> {
  requireAdmin(ctx);
  if (args.password != null) checkPasswordBounds(args.password);
  const passwordHash = args.password != null ? await hashPassword(args.password) : null;
  const { user, changed } = await ctx.em.transactional(async (em) => {
    const user = await em.findOne(User, { id: args.id });
    if (!user || user.id === AUTOMATION_USER_ID) throw new NotFoundError('That user');
    const demotes = args.role === 'USER' && user.role === 'ADMIN';
    const disables = args.disabled === true && !user.disabled;
    if ((demotes || disables) && (await isLastActiveAdmin(em, user))) {
      throw new ConflictError(
        'This is the last active administrator: make another administrator first.',
      );
    }
    const changed = {
      role: args.role != null && args.role !== user.role,
      disabled: args.disabled != null && args.disabled !== user.disabled,
      password: passwordHash != null,
    };
    if (args.role != null) user.role = args.role;
    if (args.disabled != null) user.disabled = args.disabled;
    if (passwordHash) user.passwordHash = passwordHash;
    if (changed.role || disables || changed.password) user.authVersion += 1;
    return { user, changed };
  });
  // after the commit: a sign-in racing this either sees the change or has its session ended here
  if (changed.password || (changed.disabled && user.disabled)) {
    await endSessions(ctx, user, {
      reason: changed.password ? 'passwordReset' : 'disabled',
      tokens: true,
    });
  } else if (changed.role) {
    // the role is re-read: cached identities and open subscriptions of this user end
    ctx.app.pubsub.publish('authRevoked', { userId: user.id });
  }
  ctx.app.pubsub.publish('userChanged', { userId: user.id });
  ctx.app.log.info('user updated', {
    userId: user.id,
    role: args.role,
    disabled: args.disabled,
    passwordReset: !!passwordHash,
    by: ctx.viewer!.userId,
  });
  const fields = Object.keys(changed).filter((k) => changed[k as keyof typeof changed]);
  await auditAs(ctx, 'USER_UPDATED', {
    target: user.id,
    detail: { user: user.username, changed: fields, role: user.role, disabled: user.disabled },
  });
  return user;
}

export async function deleteUser(ctx: Context, id: string): Promise<boolean> {
  requireAdmin(ctx);
  const { username, files } = await ctx.em.transactional(async (em) => {
    const user = await em.findOne(User, { id });
    if (!user || user.id === AUTOMATION_USER_ID) throw new NotFoundError('That user');
    if (await isLastActiveAdmin(em, user)) {
      throw new ConflictError(
        'This is the last active administrator: make another administrator first.',
      );
    }
    // their file rows go by cascade; their bytes are removed here, by id, once the rows are gone
    const owned = await em.find(StoredFile, { ownerId: id }, { fields: ['id'] });
    em.remove(user);
    return { username: user.username, files: owned.map((f) => f.id) };
  });
  await removeStoredBytes(ctx.app, files);
  ctx.app.pubsub.publish('authRevoked', { userId: id });
  ctx.app.log.info('user deleted', { userId: id, by: ctx.viewer!.userId });
  await auditAs(ctx, 'USER_DELETED', { target: id, detail: { user: username } });
  return true;
}

/**
 * Needs the current password, whose guesses count against the account's sign-in limit (a stolen
 * session gets no more guesses than the sign-in form). Ends every other session; API tokens stay.
 */
export async function changePassword(
  ctx: Context,
  args: { currentPassword: string; newPassword: string },
): Promise<boolean> {
  const viewer = requireViewer(ctx);
  if (args.currentPassword.length > PASSWORD_MAX)
    throw new BadUserInputError('The current password is wrong.', { field: 'currentPassword' });
  checkPasswordBounds(args.newPassword, 'new password');
  const attempt = await reserveGuess(ctx, viewer.username, null, 'changePassword');
  let user: User;
  let ok: boolean;
  try {
    user = await ctx.em.findOneOrFail(User, { id: viewer.userId });
    ok = await verifyPassword(user.passwordHash, args.currentPassword);
  } catch (err) {
    await attempt.cancel();
    throw err;
  }
  if (!ok) {
    await attempt.fail();
    throw new BadUserInputError('The current password is wrong.', { field: 'currentPassword' });
  }
  await attempt.succeed();
  user.passwordHash = await hashPassword(args.newPassword);
  await ctx.em.flush();
  ctx.app.log.info('password changed', { userId: user.id });
  await auditAs(ctx, 'PASSWORD_CHANGED', { target: user.id });
  const keep = viewer.kind === 'session' ? viewer.credentialId : undefined;
  await endSessions(ctx, user, { reason: 'passwordChanged', keepSessionId: keep, tokens: false });
  return true;
}

async function isLastActiveAdmin(em: EntityManager, user: User): Promise<boolean> {
  if (user.role !== 'ADMIN' || user.disabled) return false;
  return (await em.count(User, { role: 'ADMIN', disabled: false })) <= 1;
}

/** First start with no users: create the admin. A generated password goes to a 0600 file, never a log. */
export async function ensureInitialAdmin(app: AppServices): Promise<void> {
  const em = app.orm.em.fork();
  // the built-in @automation account (automation.run.ts) is not a person
  if ((await em.count(User, { id: { $ne: AUTOMATION_USER_ID } })) > 0) return;
  const { ADMIN_USERNAME: username, ADMIN_PASSWORD, DATA_DIR } = app.config;
  const password = ADMIN_PASSWORD ?? randomBytes(18).toString('base64url');
  em.create(User, { username, role: 'ADMIN', passwordHash: await hashPassword(password) } as User);
  await em.flush();
  if (ADMIN_PASSWORD) {
    app.log.info('initial admin created from ADMIN_PASSWORD', { username });
    return;
  }
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, 'initial-admin-password');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  app.log.info(
    'initial admin created; its generated password is in a file readable only by this user',
    { username, file },
  );
}
