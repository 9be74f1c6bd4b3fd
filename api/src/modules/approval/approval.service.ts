// Deciding a run that waits for approval: another person whose role is among the approvers
// approves (it starts with exactly the stored argv) or rejects it. Each decision is one
// conditional UPDATE on the pending row, so two decisions at once (on any instance) decide once.
import type { EntityManager } from '@mikro-orm/core';
import type { CommandSpec } from '../../config/agent-config.types.js';
import type { Context } from '../../context.js';
import { admitShared } from '../../cluster/run.admission.js';
import { BadUserInputError, ConflictError, ForbiddenError } from '../../errors.js';
import { auditAs } from '../audit/audit.service.js';
import { requireViewer } from '../auth/guards.js';
import type { Viewer } from '../auth/viewer.js';
import { CommandRun } from '../commands/command-run.entity.js';
import { getRun } from '../commands/command.service.js';
import { User } from '../users/user.entity.js';
import { isApprover, mayDecide } from './approval.rules.js';

export const REASON_MAX = 1000;
const PENDING_MAX = 200;

/** Runs waiting for approval that the caller may decide, oldest request first. */
export async function pendingApprovals(ctx: Context): Promise<CommandRun[]> {
  const viewer = requireViewer(ctx);
  const commands = ctx.app.agent.config.commands;
  const names = commands.filter((c) => isApprover(viewer, c)).map((c) => c.name);
  if (!names.length) return [];
  const runs = await ctx.em.find(
    CommandRun,
    {
      status: 'PENDING_APPROVAL',
      commandName: { $in: names },
      startedById: { $ne: viewer.userId },
      approvalExpiresAt: { $gt: new Date() },
    },
    { orderBy: { startedAt: 'asc' }, limit: PENDING_MAX },
  );
  return runs.filter((r) => mayDecide(viewer, r, commands));
}

/** The run, its command, and the caller's right to decide it; CONFLICT once it is not pending. */
async function decidable(
  ctx: Context,
  id: string,
): Promise<{ run: CommandRun; spec: CommandSpec }> {
  const viewer = requireViewer(ctx);
  const run = await getRun(ctx, id);
  const spec = ctx.app.agent.config.commands.find((c) => c.name === run.commandName);
  if (run.startedById === viewer.userId)
    throw new ForbiddenError(
      'You asked for this run: another person among its approvers must approve or reject it.',
    );
  if (!isApprover(viewer, spec)) {
    const roles = spec?.approval?.approvers.join(', ') ?? 'none (the command no longer asks)';
    throw new ForbiddenError(`Only these roles may decide runs of this command: ${roles}.`);
  }
  if (run.status !== 'PENDING_APPROVAL')
    throw new ConflictError(`That run is not waiting for approval (it is ${run.status}).`);
  if (run.approvalExpiresAt! <= new Date())
    throw new ConflictError('That run waited too long: its approval has expired.');
  return { run, spec: spec! };
}

/** The pending row, if still pending and not overdue: the only rows a decision may change. */
const stillPending = (id: string) => ({
  id,
  status: 'PENDING_APPROVAL' as const,
  approvalExpiresAt: { $gt: new Date() },
});

async function lost(ctx: Context, run: CommandRun): Promise<never> {
  await ctx.em.refresh(run);
  throw new ConflictError(
    run.status === 'PENDING_APPROVAL'
      ? 'That run waited too long: its approval has expired.'
      : `That run was decided just now by someone else (it is ${run.status}).`,
  );
}

export async function approveRun(ctx: Context, id: string): Promise<CommandRun> {
  const { run, spec } = await decidable(ctx, id);
  const viewer = ctx.viewer!;
  const { supervisor, agent, pubsub, log, instance } = ctx.app;
  const maxRunning = agent.config.limits.maxRunning;
  // the limits of a manual start; refused, the run stays pending (until it expires)
  const slot = supervisor.admit(spec, maxRunning, !instance.shared);
  const waiting = `The run stays waiting for approval until ${run.approvalExpiresAt!.toISOString()}; approve it again once a slot is free.`;
  if (typeof slot === 'string') throw new ConflictError(`${slot} ${waiting}`);
  try {
    const now = new Date();
    const take = async (em: EntityManager) => {
      const changed = await em.nativeUpdate(CommandRun, stillPending(run.id), {
        status: 'RUNNING',
        approvedById: viewer.userId,
        approvedAt: now,
        ownerId: instance.id,
      });
      return changed ? run : 'lost';
    };
    const taken = instance.shared
      ? await admitShared(ctx.em, spec, maxRunning, take)
      : await take(ctx.em);
    if (taken === 'lost') return await lost(ctx, run);
    if (typeof taken === 'string') throw new ConflictError(`${taken} ${waiting}`);
    await ctx.em.refresh(run);
    // exactly the argv stored at the request, checked then
    supervisor.start(run, spec, slot);
  } catch (err) {
    slot.release();
    throw err;
  }
  pubsub.publish('runUpdated', { runId: run.id, startedById: run.startedById });
  log.info('run approved and started', { runId: run.id, command: spec.name, by: viewer.userId });
  await auditAs(ctx, 'RUN_APPROVED', {
    target: run.id,
    detail: { command: spec.name, argv: run.argv, requestedBy: await nameOf(ctx, run) },
  });
  return run;
}

export async function rejectRun(
  ctx: Context,
  id: string,
  reason: string | null | undefined,
): Promise<CommandRun> {
  const text = reason?.trim() || null;
  if (text && text.length > REASON_MAX)
    throw new BadUserInputError(`The reason is longer than ${REASON_MAX} characters.`, {
      field: 'reason',
    });
  const { run } = await decidable(ctx, id);
  const viewer: Viewer = ctx.viewer!;
  const now = new Date();
  const changed = await ctx.em.nativeUpdate(CommandRun, stillPending(run.id), {
    status: 'REJECTED',
    rejectedById: viewer.userId,
    rejectedAt: now,
    rejectReason: text,
    finishedAt: now,
  });
  if (!changed) return lost(ctx, run);
  await ctx.em.refresh(run);
  ctx.app.pubsub.publish('runUpdated', { runId: run.id, startedById: run.startedById });
  ctx.app.log.info('run rejected', { runId: run.id, by: viewer.userId });
  await auditAs(ctx, 'RUN_REJECTED', {
    target: run.id,
    detail: { command: run.commandName, requestedBy: await nameOf(ctx, run), reason: text },
  });
  return run;
}

async function nameOf(ctx: Context, run: CommandRun): Promise<string | null> {
  const user = await ctx.em.findOne(User, { id: run.startedById }, { fields: ['username'] });
  return user?.username ?? null;
}
