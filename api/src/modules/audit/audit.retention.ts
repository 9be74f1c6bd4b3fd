import type { AppServices } from '../../context.js';
import { AuditEvent } from './audit-event.entity.js';

type Services = Pick<AppServices, 'orm' | 'log' | 'config'>;

const DAY_MS = 86_400_000;
const EVERY_MS = 3_600_000;
/** rows per delete: a short write lock each time, so requests get in between batches */
export const AUDIT_SWEEP_BATCH = 1_000;

// one sweep at a time per database: the hourly one and a called one never race for the same rows
const running = new WeakMap<object, Promise<unknown>>();

/**
 * Deletes audit events older than AUDIT_RETENTION_DAYS (0 keeps them all), oldest first, in
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
  const days = app.config.AUDIT_RETENTION_DAYS;
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

/** Sweeps now and then every hour; `stop()` ends the timer and waits for a sweep in progress. */
export function startAuditRetention(app: Services): { stop(): Promise<void> } {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const run = () => {
    current = sweepAuditEvents(app, Date.now(), () => stopped).catch((err) =>
      app.log.error('audit retention sweep failed', { err: String(err) }),
    );
  };
  run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref(); // never the reason the process stays up
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
