import { builder } from '../../builder.js';
import { requireAdmin } from '../auth/guards.js';
import { CommandRun } from '../commands/command-run.entity.js';
import { CommandRunRef } from '../commands/command.schema.js';
import { Notification } from './notification.entity.js';
import {
  listNotifications,
  listTargets,
  sendTestNotification,
  type TargetView,
} from './notify.query.js';

const TargetTypeEnum = builder.enumType('NotificationTargetType', {
  values: ['WEBHOOK', 'NTFY', 'SLACK', 'SMTP'] as const,
});
const StatusEnum = builder.enumType('NotificationStatus', {
  description:
    'PENDING until sent (also between attempts); SENDING while an instance holds it; FAILED after the last attempt.',
  values: ['PENDING', 'SENDING', 'SENT', 'FAILED'] as const,
});
const EventEnum = builder.enumType('NotificationEvent', {
  values: ['RUN_FAILED', 'RUN_SUCCEEDED', 'TRIGGER_FIRED', 'APPROVAL_REQUESTED', 'TEST'] as const,
});

const TargetRef = builder.objectRef<TargetView>('NotificationTarget').implement({
  description: 'A target of agent.yaml `notify:`. Its URL, token and password are never shown.',
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.field({
      type: TargetTypeEnum,
      resolve: (v) => v.type.toUpperCase() as 'WEBHOOK' | 'NTFY' | 'SLACK' | 'SMTP',
    }),
    where: t.exposeString('where', { description: 'The receiver’s host (and port).' }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'Why its newest tried notification failed, until one is sent.',
    }),
    lastSentAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.lastSentAt }),
  }),
});

const NotificationRef = builder.objectType(Notification, {
  name: 'Notification',
  description: 'One message to one target, delivered in the background and retried with backoff.',
  fields: (t) => ({
    id: t.exposeID('id'),
    target: t.exposeString('target'),
    event: t.field({ type: EventEnum, resolve: (n) => n.event }),
    subject: t.exposeString('subject'),
    status: t.field({ type: StatusEnum, resolve: (n) => n.status }),
    attempts: t.exposeInt('attempts'),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (n) => n.createdAt }),
    sentAt: t.field({ type: 'DateTime', nullable: true, resolve: (n) => n.sentAt }),
    nextAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due, while it is PENDING.',
      resolve: (n) => (n.status === 'PENDING' ? n.nextAt : null),
    }),
    run: t.field({
      type: CommandRunRef,
      nullable: true,
      description: 'The run it tells of, while that run is kept.',
      resolve: (n, _a, ctx) => (n.runId ? ctx.em.findOne(CommandRun, n.runId) : null),
    }),
  }),
});

builder.queryField('notificationTargets', (t) =>
  t.field({
    type: [TargetRef],
    description:
      'ADMIN. The notification targets of agent.yaml, with how their last delivery went.',
    resolve: (_r, _a, ctx) => (requireAdmin(ctx), listTargets(ctx)),
  }),
);

builder.queryField('notifications', (t) =>
  t.field({
    type: [NotificationRef],
    description: 'ADMIN. Notifications, newest first; `first` is at most 200.',
    args: { first: t.arg.int({ defaultValue: 50 }), status: t.arg({ type: StatusEnum }) },
    resolve: (_r, args, ctx) => (requireAdmin(ctx), listNotifications(ctx, args)),
  }),
);

builder.mutationField('sendTestNotification', (t) =>
  t.field({
    type: NotificationRef,
    description: 'ADMIN. Queues a test message to a target; its status shows whether it arrived.',
    args: { target: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => (requireAdmin(ctx), sendTestNotification(ctx, args.target)),
  }),
);
