// Delivered and given-up notifications are kept NOTIFICATIONS_KEEP_DAYS (the Automation page shows
// recent ones; the runs and firings they told of have their own history): the outbox never grows
// without end. Pending ones are never removed, however old.
import type { AppServices } from '../../context.js';
import {
  nothing,
  RETENTION_BATCH,
  yieldToRequests,
  type Removed,
} from '../retention/retention.batch.js';
import { Notification } from './notification.entity.js';

export const NOTIFICATIONS_KEEP_DAYS = 30;
const DAY_MS = 86_400_000;

export async function sweepNotifications(
  app: Pick<AppServices, 'orm'>,
  now: number,
  stopped: () => boolean,
): Promise<Removed> {
  const removed = nothing();
  const cutoff = new Date(now - NOTIFICATIONS_KEEP_DAYS * DAY_MS);
  while (!stopped()) {
    const em = app.orm.em.fork();
    const rows = await em.find(
      Notification,
      { status: { $in: ['SENT', 'FAILED'] }, createdAt: { $lt: cutoff } },
      { fields: ['id'], orderBy: { createdAt: 'asc', id: 'asc' }, limit: RETENTION_BATCH },
    );
    if (!rows.length) break;
    removed.count += await em.nativeDelete(Notification, { id: { $in: rows.map((r) => r.id) } });
    removed.batches++;
    if (rows.length < RETENTION_BATCH) break;
    await yieldToRequests();
  }
  return removed;
}
