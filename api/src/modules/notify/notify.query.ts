// What the Automation page shows of notifications: the targets with how their last delivery went,
// the recent outbox, and a test message. ADMIN only (the callers check).
import type { Context } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import type { NotifyTargetSpec } from '../../config/agent-config.types.js';
import { Notification, type NotificationStatus } from './notification.entity.js';
import { enqueueNotifications } from './notify.enqueue.js';
import { hostOf } from './notify.http.js';

export interface TargetView {
  name: string;
  type: NotifyTargetSpec['type'];
  /** the receiver's host: never a path, query or credential */
  where: string;
  lastError: string | null;
  lastSentAt: Date | null;
}

const NOTIFICATIONS_MAX = 200;

export async function listTargets(ctx: Pick<Context, 'app' | 'em'>): Promise<TargetView[]> {
  return Promise.all(
    ctx.app.agent.config.notify.map(async (t) => {
      const sent = await ctx.em.findOne(
        Notification,
        { target: t.name, status: 'SENT' },
        { orderBy: { sentAt: 'desc' }, fields: ['sentAt'] },
      );
      // the newest tried: its error stands until a later one is sent
      const tried = await ctx.em.findOne(
        Notification,
        { target: t.name, attempts: { $gt: 0 } },
        { orderBy: { createdAt: 'desc' }, fields: ['status', 'lastError'] },
      );
      return {
        name: t.name,
        type: t.type,
        where: t.type === 'smtp' ? `${t.host}:${t.port}` : hostOf(t.url),
        lastError: tried && tried.status !== 'SENT' ? tried.lastError : null,
        lastSentAt: sent?.sentAt ?? null,
      };
    }),
  );
}

export function listNotifications(
  ctx: Pick<Context, 'em'>,
  args: { first?: number | null; status?: NotificationStatus | null },
): Promise<Notification[]> {
  const first = Math.max(1, Math.min(args.first ?? 50, NOTIFICATIONS_MAX));
  return ctx.em.find(Notification, args.status ? { status: args.status } : {}, {
    orderBy: { createdAt: 'desc', id: 'desc' },
    limit: first,
  });
}

export async function sendTestNotification(
  ctx: Pick<Context, 'app' | 'viewer'>,
  target: string,
): Promise<Notification> {
  if (!ctx.app.agent.config.notify.some((t) => t.name === target))
    throw new NotFoundError(`Notification target "${target.slice(0, 64)}" (agent.yaml notify:)`);
  const [row] = await enqueueNotifications(ctx.app, [target], {
    event: 'TEST',
    subject: `Test notification from Tiny Agent`,
    body: `${ctx.viewer?.username ?? 'Someone'} sent this test from the Automation page to check that "${target}" receives notifications.`,
  });
  if (!row) throw new Error('the test notification could not be queued');
  return row;
}
