import type { Context } from '../../context.js';
import type { HookSpec } from '../../config/agent-config.types.js';
import { requireAdmin } from '../auth/guards.js';
import { CommandRun } from '../commands/command-run.entity.js';
import type { HookDelivery } from './hook-delivery.entity.js';
import { recentDeliveries } from './hook.deliveries.js';

/** The hooks of agent.yaml as in force now (ADMIN): never their secret. */
export function listHooks(ctx: Context): HookSpec[] {
  requireAdmin(ctx);
  return ctx.app.agent.config.hooks;
}

export interface HookDeliveryView {
  receivedAt: Date;
  run: CommandRun | null;
}

const MAX_RECENT = 100;

/** A hook's newest deliveries with the runs they started (a run removed by retention shows null). */
export async function hookDeliveries(
  ctx: Context,
  hook: string,
  first: number,
): Promise<HookDeliveryView[]> {
  requireAdmin(ctx);
  const n = Math.min(Math.max(first, 1), MAX_RECENT);
  const rows: HookDelivery[] = await recentDeliveries(ctx.em, hook, n);
  const ids = rows.map((d) => d.runId).filter((id): id is string => id !== null);
  const runs = ids.length ? await ctx.em.find(CommandRun, { id: { $in: ids } }) : [];
  const byId = new Map(runs.map((r) => [r.id, r]));
  return rows.map((d) => ({
    receivedAt: d.receivedAt,
    run: d.runId ? (byId.get(d.runId) ?? null) : null,
  }));
}
