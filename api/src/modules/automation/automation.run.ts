// Runs started by the server itself (a schedule, a signed webhook, a log-pattern trigger) go
// through runCommand like a person's: the same whitelist lookup, argument validation, limits,
// audit event and history entry. They are started by the built-in `@automation` account, which
// cannot sign in (disabled, no password) and is hidden from the user list.
import type { MikroORM } from '@mikro-orm/core';
import type { AppServices, Context } from '../../context.js';
import type { Viewer } from '../auth/viewer.js';
import type { CommandRun, RunOrigin } from '../commands/command-run.entity.js';
import type { CommandArgInput } from '../commands/command.args.js';
import { runCommand } from '../commands/command.service.js';
import { AUTOMATION_USER_ID, AUTOMATION_USERNAME, User } from '../users/user.entity.js';

const automationViewer: Viewer = {
  userId: AUTOMATION_USER_ID,
  username: AUTOMATION_USERNAME,
  // the operator who wrote agent.yaml chose the command; the file, not a role, is the limit
  role: 'ADMIN',
  kind: 'apiToken',
  credentialId: 'automation',
};

/** Creates the `@automation` account once (at start, under the startup lock). */
export async function ensureAutomationUser(orm: MikroORM): Promise<void> {
  const em = orm.em.fork();
  if (await em.count(User, { id: AUTOMATION_USER_ID })) return;
  em.create(User, {
    id: AUTOMATION_USER_ID,
    username: AUTOMATION_USERNAME,
    // not an argon2 hash: no password verifies against it
    passwordHash: '!',
    role: 'ADMIN',
    disabled: true,
  } as User);
  await em.flush();
}

/**
 * Starts `command` with `args` exactly as `runCommand` would for a person, recording `origin`.
 * Throws the same errors (NOT_FOUND for a command the file no longer has, BAD_USER_INPUT for a
 * refused argument, CONFLICT at a limit); callers record them where the UI shows them.
 */
export function startAutomaticRun(
  app: AppServices,
  command: string,
  args: readonly CommandArgInput[],
  origin: RunOrigin,
  clientIp = 'automation',
): Promise<CommandRun> {
  const controller = new AbortController();
  // what runCommand reads of a GraphQL context: the services, the caller, a fresh identity map
  const ctx = {
    app,
    viewer: automationViewer,
    em: app.orm.em.fork(),
    clientIp,
    setCookies: [],
    secure: false,
    transport: 'http',
    signal: controller.signal,
    abortOperation: () => controller.abort(),
  } as unknown as Context;
  return runCommand(ctx, { name: command, args }, origin);
}
