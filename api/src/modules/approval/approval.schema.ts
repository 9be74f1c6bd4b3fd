import { builder } from '../../builder.js';
import type { ApprovalSpec } from '../../config/agent-config.types.js';
import type { CommandRun } from '../commands/command-run.entity.js';
import { CommandRef, CommandRunRef } from '../commands/command.schema.js';
import { User } from '../users/user.entity.js';
import { RoleEnum, UserRef } from '../users/user.schema.js';
import { approveRun, pendingApprovals, rejectRun } from './approval.service.js';

const RunApprovalRef = builder.objectRef<CommandRun>('RunApproval').implement({
  description:
    "The approval a run needed: until when it waits, and who approved or rejected it when. The request time is the run's `startedAt`.",
  fields: (t) => ({
    expiresAt: t.field({
      type: 'DateTime',
      description: 'A run still waiting then ends EXPIRED.',
      resolve: (r) => r.approvalExpiresAt!,
    }),
    approvedBy: t.field({
      type: UserRef,
      nullable: true,
      resolve: (r, _a, ctx) =>
        r.approvedById ? ctx.em.findOne(User, { id: r.approvedById }) : null,
    }),
    approvedAt: t.expose('approvedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was approved, and so when its process started.',
    }),
    rejectedBy: t.field({
      type: UserRef,
      nullable: true,
      resolve: (r, _a, ctx) =>
        r.rejectedById ? ctx.em.findOne(User, { id: r.rejectedById }) : null,
    }),
    rejectedAt: t.expose('rejectedAt', { type: 'DateTime', nullable: true }),
    reason: t.exposeString('rejectReason', {
      nullable: true,
      description: 'What the approver gave when rejecting it.',
    }),
  }),
});

builder.objectField(CommandRunRef, 'approval', (t) =>
  t.field({
    type: RunApprovalRef,
    nullable: true,
    description: 'Null when its command needed no approval.',
    resolve: (r) => (r.approvalExpiresAt ? r : null),
  }),
);

const CommandApprovalRef = builder.objectRef<ApprovalSpec>('CommandApproval').implement({
  description: 'agent.yaml `approval:`: each run waits for another person with one of these roles.',
  fields: (t) => ({
    approvers: t.field({
      type: [RoleEnum],
      resolve: (a) => a.approvers.map((r) => (r === 'admin' ? 'ADMIN' : 'USER')),
    }),
    expiresAfterSeconds: t.int({ resolve: (a) => Math.round(a.expiresAfterMs / 1000) }),
  }),
});

builder.objectField(CommandRef, 'approval', (t) =>
  t.field({
    type: CommandApprovalRef,
    nullable: true,
    description: 'Null when its runs start when asked.',
    resolve: (c) => c.approval ?? null,
  }),
);

builder.queryField('pendingApprovals', (t) =>
  t.field({
    type: [CommandRunRef],
    description:
      'Runs waiting for approval that you may approve (your role is among the approvers, and you did not ask for them), oldest first.',
    resolve: (_r, _a, ctx) => pendingApprovals(ctx),
  }),
);

builder.mutationField('approveCommandRun', (t) =>
  t.field({
    type: CommandRunRef,
    description:
      'Starts a run waiting for approval with exactly its requested argv. FORBIDDEN for the requester and roles not among the approvers; CONFLICT once it is no longer waiting (decided, expired) or when the command is at its limits (it keeps waiting).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => approveRun(ctx, String(a.id)),
  }),
);

builder.mutationField('rejectCommandRun', (t) =>
  t.field({
    type: CommandRunRef,
    description:
      'Ends a run waiting for approval as REJECTED; it never starts. `reason` at most 1000 characters. Same refusals as approveCommandRun.',
    args: { id: t.arg.id({ required: true }), reason: t.arg.string() },
    resolve: (_r, a, ctx) => rejectRun(ctx, String(a.id), a.reason),
  }),
);
