// Accepted signatures, kept in the database so a replay is refused by any instance: the primary
// key (hook, signature) lets exactly one insert win.
import {
  UniqueConstraintViolationException,
  type EntityManager,
  type MikroORM,
} from '@mikro-orm/core';
import type { HookSpec } from '../../config/agent-config.types.js';
import { HookDelivery } from './hook-delivery.entity.js';

const MINUTE = 60_000;
// twice the timestamp window (±5 min): older tiny-agent signatures are refused as stale anyway
const KEEP_SIGNED_MS = 24 * 60 * MINUTE;
// GitHub signs no timestamp: its signature is the only replay guard, so it is kept far longer
const KEEP_UNSTAMPED_MS = 90 * 24 * 60 * MINUTE;
const SWEEP_EVERY_MS = MINUTE;

export class HookDeliveries {
  private lastSweep = 0;

  constructor(private readonly orm: MikroORM) {}

  /** Records the signature; false when it was seen before (a replay). */
  async claim(hook: string, signature: string): Promise<boolean> {
    try {
      await this.orm.em.fork().insert(HookDelivery, { hook, signature, receivedAt: new Date() });
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return false;
      throw err;
    }
  }

  async started(hook: string, signature: string, runId: string): Promise<void> {
    await this.orm.em.fork().nativeUpdate(HookDelivery, { hook, signature }, { runId });
  }

  /** At most once a minute, on a delivery: removes signatures that can no longer be replayed. */
  async sweep(hooks: readonly HookSpec[], now = Date.now()): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    const em = this.orm.em.fork();
    const stamped = hooks.filter((h) => h.style === 'tiny-agent').map((h) => h.name);
    if (stamped.length)
      await em.nativeDelete(HookDelivery, {
        hook: { $in: stamped },
        receivedAt: { $lt: new Date(now - KEEP_SIGNED_MS) },
      });
    await em.nativeDelete(HookDelivery, { receivedAt: { $lt: new Date(now - KEEP_UNSTAMPED_MS) } });
  }
}

/** The newest deliveries of `hook` (accepted signatures; `runId` null when the start was refused). */
export function recentDeliveries(
  em: EntityManager,
  hook: string,
  first: number,
): Promise<HookDelivery[]> {
  return em.find(HookDelivery, { hook }, { orderBy: { receivedAt: 'desc' }, limit: first });
}
