import { builder } from '../../builder.js';
import { connectionOf } from '../../pagination/connection.schema.js';
import { UserRef } from '../users/user.schema.js';
import { AUDIT_ACTIONS } from './audit-event.entity.js';
import { listAuditEvents, type AuditEventView } from './audit.query.js';

const AuditActionEnum = builder.enumType('AuditAction', { values: AUDIT_ACTIONS });

const AuditEventRef = builder.objectRef<AuditEventView>('AuditEvent').implement({
  description: 'One entry of the audit trail: who did what, when, from where. Append only.',
  fields: (t) => ({
    id: t.id({ resolve: (v) => v.event.id }),
    at: t.field({ type: 'DateTime', resolve: (v) => v.event.at }),
    action: t.field({ type: AuditActionEnum, resolve: (v) => v.event.action }),
    actor: t.field({
      type: UserRef,
      nullable: true,
      description: 'The user who acted, while that user exists.',
      resolve: (v) => v.actor,
    }),
    actorName: t.string({
      nullable: true,
      description: 'The name given at the time; kept after the user is deleted.',
      resolve: (v) => v.event.actorName,
    }),
    ip: t.string({ nullable: true, resolve: (v) => v.event.ip }),
    target: t.string({
      nullable: true,
      description: 'What was acted on: a user, token, run or file id, a command or a path.',
      resolve: (v) => v.event.target,
    }),
    detail: t.string({
      nullable: true,
      description: 'Facts about the event, as a JSON object.',
      resolve: (v) => v.event.detail,
    }),
  }),
});

const AuditEventConnectionRef = connectionOf('AuditEvent', AuditEventRef);

// read only: no mutation touches the audit trail; retention is the only thing that removes events
builder.queryField('auditEvents', (t) =>
  t.field({
    type: AuditEventConnectionRef,
    description:
      'ADMIN. The audit trail, newest first; `since` and `until` are both included; `first` is at most 100.',
    args: {
      first: t.arg.int({ defaultValue: 50 }),
      after: t.arg.string(),
      action: t.arg({ type: AuditActionEnum }),
      actor: t.arg.id({ description: 'Only events by this user id.' }),
      since: t.arg({ type: 'DateTime' }),
      until: t.arg({ type: 'DateTime' }),
    },
    resolve: (_r, args, ctx) =>
      listAuditEvents(ctx, { ...args, actor: args.actor == null ? null : String(args.actor) }),
  }),
);
