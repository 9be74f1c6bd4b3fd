// What the API says of log-pattern triggers: the ones agent.yaml has now, and their last firings.
import type { TriggerSpec } from '../../config/agent-config.types.js';
import type { Context } from '../../context.js';
import { requireAdmin } from '../auth/guards.js';
import { CommandRun } from '../commands/command-run.entity.js';
import { TriggerFiring } from './trigger.firing.entity.js';

const MAX_FIRINGS = 100;

/** ADMIN: every trigger of agent.yaml, in the file's order. */
export function listTriggers(ctx: Context): TriggerSpec[] {
  requireAdmin(ctx);
  return ctx.app.agent.config.triggers;
}

/** The newest `first` firings of a trigger (1 to 100), newest first. */
export function listFirings(ctx: Context, name: string, first: number): Promise<TriggerFiring[]> {
  const limit = Math.min(Math.max(first, 1), MAX_FIRINGS);
  return ctx.em.find(
    TriggerFiring,
    { triggerName: name },
    { orderBy: [{ firedAt: 'desc' }, { id: 'desc' }], limit },
  );
}

export async function lastFiredAt(ctx: Context, name: string): Promise<Date | null> {
  const [last] = await listFirings(ctx, name, 1);
  return last?.firedAt ?? null;
}

/** The run a firing started; null when it started none or retention has deleted it since. */
export function firingRun(ctx: Context, firing: TriggerFiring): Promise<CommandRun | null> {
  return firing.runId ? ctx.em.findOne(CommandRun, { id: firing.runId }) : Promise.resolve(null);
}
