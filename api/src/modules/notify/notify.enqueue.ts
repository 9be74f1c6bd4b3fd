// Telling people: a message is written to the outbox (one row per target) and the notifier
// delivers it in the background, so a slow or broken receiver never holds up a run or a trigger.
import type { AppServices } from '../../context.js';
import { Notification, type NotifyEvent } from './notification.entity.js';
import { wakeNotifier } from './notify.wake.js';

export interface NotifyMessage {
  event: NotifyEvent;
  /** one line; cut to 200 characters */
  subject: string;
  /** plain text; cut to 8 KiB */
  body: string;
  runId?: string | null;
  firingId?: string | null;
}

const SUBJECT_MAX = 200;
const BODY_MAX = 8192;

/**
 * Queues `message` for each of `targets` (names in agent.yaml `notify:`; unknown names are
 * skipped with a warning: the file changed since). Never throws: a failure to queue is logged.
 * Returns the rows queued (none when nothing was).
 */
export async function enqueueNotifications(
  app: Pick<AppServices, 'orm' | 'log' | 'agent'>,
  targets: readonly string[],
  message: NotifyMessage,
): Promise<Notification[]> {
  const known = new Set(app.agent.config.notify.map((t) => t.name));
  const names = [...new Set(targets)].filter((t) => {
    if (!known.has(t))
      app.log.warn('notification target not in agent.yaml; skipped', { target: t });
    return known.has(t);
  });
  if (names.length === 0) return [];
  const now = new Date();
  try {
    const em = app.orm.em.fork();
    const rows: Notification[] = [];
    for (const target of names) {
      const n = new Notification();
      n.target = target;
      n.event = message.event;
      n.subject = message.subject.slice(0, SUBJECT_MAX);
      n.body = message.body.slice(0, BODY_MAX);
      n.runId = message.runId ?? null;
      n.firingId = message.firingId ?? null;
      n.nextAt = now;
      n.createdAt = now;
      em.persist(n);
      rows.push(n);
    }
    await em.flush();
    wakeNotifier(app.orm);
    return rows;
  } catch (err) {
    app.log.error('could not queue a notification', { event: message.event, err: String(err) });
    return [];
  }
}
