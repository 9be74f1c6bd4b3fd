// A trigger's firings are kept to its newest KEEP_FIRINGS: a chatty log with no cooldown must not
// grow the table without end (the UI shows the last few; the runs themselves stay in history).
import type { AppServices } from '../../context.js';
import { TriggerFiring } from './trigger.firing.entity.js';

export const KEEP_FIRINGS = 1000;
/** a prune every this many firings of one trigger on one instance */
export const PRUNE_EVERY = 100;

/** Deletes the firings of `name` older than its newest `keep`; returns how many went. */
export async function pruneFirings(
  app: Pick<AppServices, 'orm'>,
  name: string,
  keep = KEEP_FIRINGS,
): Promise<number> {
  const em = app.orm.em.fork();
  const [oldestKept] = await em.find(
    TriggerFiring,
    { triggerName: name },
    { orderBy: [{ firedAt: 'desc' }, { id: 'desc' }], offset: keep - 1, limit: 1 },
  );
  if (!oldestKept) return 0;
  // by time: firings in the same millisecond as the oldest kept one stay too
  return em.nativeDelete(TriggerFiring, {
    triggerName: name,
    firedAt: { $lt: oldestKept.firedAt },
  });
}
