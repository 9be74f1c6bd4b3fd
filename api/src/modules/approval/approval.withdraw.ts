// Withdrawing a request that still waits for approval: the person who asked, or an administrator,
// cancels it before anyone decides. One conditional UPDATE on the pending row, as for a decision,
// so a withdrawal and an approval at once (on any instance) settle the run once.
import type { Context } from '../../context.js';
import { ConflictError, ForbiddenError } from '../../errors.js';
import { auditAs } from '../audit/audit.service.js';
import { isAdmin, requireViewer } from '../auth/guards.js';
import { CommandRun } from '../commands/command-run.entity.js';

/** PENDING_APPROVAL → CANCELLED (it never starts); FORBIDDEN for an approver who did not ask. */
export async function withdrawRun(ctx: Context, run: CommandRun): Promise<CommandRun> {
  const viewer = requireViewer(ctx);
  if (run.startedById !== viewer.userId && !isAdmin(viewer))
    throw new ForbiddenError(
      'Only the person who asked for this run (or an administrator) can withdraw it; reject it instead.',
    );
  const now = new Date();
  const changed = await ctx.em.nativeUpdate(
    CommandRun,
    { id: run.id, status: 'PENDING_APPROVAL' },
    { status: 'CANCELLED', cancelRequestedAt: now, finishedAt: now },
  );
  await ctx.em.refresh(run);
  if (!changed)
    throw new ConflictError(`That run was decided just now by someone else (it is ${run.status}).`);
  ctx.app.pubsub.publish('runUpdated', { runId: run.id, startedById: run.startedById });
  ctx.app.log.info('approval request withdrawn', { runId: run.id, by: viewer.userId });
  await auditAs(ctx, 'RUN_APPROVAL_WITHDRAWN', {
    target: run.id,
    detail: { command: run.commandName, startedBy: run.startedById },
  });
  return run;
}
