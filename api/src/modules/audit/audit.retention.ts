import type { AppServices } from '../../context.js';
import { AuditEvent } from './audit-event.entity.js';

type Services = Pick<AppServices, 'orm' | 'log' | 'config'> & Partial<Pick<AppServices, 'agent'>>;

const DAY_MS = 86_400_000;
/** rows per delete: a short write lock each time, so requests get in between batches */
export const AUDIT_SWEEP_BATCH = 1_000;

// one sweep at a time per database: the hourly one and a called one never race for the same rows
const running = new WeakMap<object, Promise<unknown>>();

/**
 * Deletes audit events older than agent.yaml `retention.audit.days`, else AUDIT_RETENTION_DAYS
 * (0 keeps them all), oldest first, in
 * batches of at most AUDIT_SWEEP_BATCH with a yield to the event loop between them.
 */
export function sweepAuditEvents(
  app: Services,
  now = Date.now(),
  stopped: () => boolean = () => false,
): Promise<{ removed: number; batches: number }> {
  const before = running.get(app.orm) ?? Promise.resolve();
  const mine = before.then(() => sweep(app, now, stopped));
  running.set(
    app.orm,
    mine.catch(() => undefined),
  );
  return mine;
}

async function sweep(
  app: Services,
  now: number,
  stopped: () => boolean,
): Promise<{ removed: number; batches: number }> {
  const days = auditRetentionDays(app);
  let removed = 0;
  let batches = 0;
  if (!days) return { removed, batches };
  const cutoff = new Date(now - days * DAY_MS);
  while (!stopped()) {
    const em = app.orm.em.fork();
    const rows = await em.find(
      AuditEvent,
      { at: { $lt: cutoff } },
      { fields: ['id'], orderBy: { at: 'asc', id: 'asc' }, limit: AUDIT_SWEEP_BATCH },
    );
    if (!rows.length) break;
    removed += await em.nativeDelete(AuditEvent, { id: { $in: rows.map((r) => r.id) } });
    batches++;
    if (rows.length < AUDIT_SWEEP_BATCH) break;
    await new Promise((r) => setImmediate(r));
  }
  if (removed)
    app.log.info('audit events past retention removed', {
      removed,
      batches,
      days,
      olderThan: cutoff.toISOString(),
    });
  return { removed, batches };
}

/** The days audit events are kept (0: forever): agent.yaml overrides the environment. */
export const auditRetentionDays = (app: Services): number =>
  app.agent?.config.retention.audit.days ?? app.config.AUDIT_RETENTION_DAYS;
