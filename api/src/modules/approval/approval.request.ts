// A run of a command with `approval:` is stored waiting for a second person: no slot, no process.
import { hostname } from 'node:os';
import type { CommandSpec } from '../../config/agent-config.types.js';
import type { Context } from '../../context.js';
import { auditAs } from '../audit/audit.service.js';
import { requireViewer } from '../auth/guards.js';
import { CommandRun, type RunOrigin } from '../commands/command-run.entity.js';
import { enqueueNotifications } from '../notify/notify.enqueue.js';
import { runUrl } from '../notify/notify.payload.js';

export async function requestApproval(
  ctx: Context,
  spec: CommandSpec,
  argv: string[],
  args: readonly { name: string; value: string }[],
  origin: RunOrigin,
): Promise<CommandRun> {
  const viewer = requireViewer(ctx);
  const approval = spec.approval!;
  const now = new Date();
  const run = ctx.em.create(CommandRun, {
    commandName: spec.name,
    argv,
    args: args.map(({ name, value }) => ({ name, value })),
    status: 'PENDING_APPROVAL',
    // the request time: kept as startedAt, the approval's time is approvedAt
    startedAt: now,
    approvalExpiresAt: new Date(now.getTime() + approval.expiresAfterMs),
    startedById: viewer.userId,
    // set when approved: whichever instance approves runs it
    ownerId: null,
    trigger: origin.trigger,
    triggerName: origin.name,
  } as CommandRun);
  await ctx.em.flush();
  const { pubsub, log, config } = ctx.app;
  pubsub.publish('runUpdated', { runId: run.id, startedById: run.startedById });
  const by = origin.trigger === 'MANUAL' ? {} : { trigger: origin.trigger, via: origin.name };
  log.info('run waits for approval', { runId: run.id, command: spec.name, by: viewer.userId });
  await auditAs(ctx, 'RUN_APPROVAL_REQUESTED', {
    target: run.id,
    detail: { command: spec.name, argv, expiresAt: run.approvalExpiresAt!.toISOString(), ...by },
  });
  const origin0 = config.PUBLIC_ORIGIN[0];
  await enqueueNotifications(
    ctx.app,
    spec.notify.map((n) => n.target),
    {
      event: 'APPROVAL_REQUESTED',
      subject: `${spec.name} waits for approval on ${hostname()}`,
      body: [
        `${viewer.username} asks to run: ${argv.join(' ')}`,
        `Approvers: ${approval.approvers.join(', ')}; expires ${run.approvalExpiresAt!.toISOString()}`,
        ...(origin0 ? [runUrl(origin0, run.id)] : []),
      ].join('\n'),
      runId: run.id,
    },
  );
  return run;
}
