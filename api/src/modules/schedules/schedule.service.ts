// What GraphQL reads of schedules: those of the commands the viewer may run, their next times
// from croner, and their latest slots (a run shown only to who may see it).
import type { Context } from '../../context.js';
import { cronOf } from '../../config/agent-config.schedules.js';
import type { CommandSpec } from '../../config/agent-config.types.js';
import { CommandRun } from '../commands/command-run.entity.js';
import { listCommands, runVisible } from '../commands/command.service.js';
import { schedulesOf, type ScheduleView } from './schedule.find.js';
import { ScheduleSlot } from './schedule.slot.entity.js';

const clamp = (n: number | null | undefined, dflt: number, max: number) =>
  Math.min(Math.max(n ?? dflt, 1), max);

export const listSchedules = (ctx: Context): ScheduleView[] => schedulesOf(listCommands(ctx));

export const commandSchedules = (spec: CommandSpec): ScheduleView[] => schedulesOf([spec]);

/** The next `first` times (at most 50) after now. */
export const nextRuns = (s: ScheduleView, first?: number | null, from = new Date()): Date[] =>
  cronOf(s.cron, s.timezone).nextRuns(clamp(first, 5, 50), from);

/** The latest `first` claimed times (at most 100), newest first. */
export const recentSlots = (ctx: Context, s: ScheduleView, first?: number | null) =>
  ctx.em.find(
    ScheduleSlot,
    { scheduleId: s.id },
    { orderBy: { dueAt: 'desc' }, limit: clamp(first, 10, 100) },
  );

export async function slotRun(ctx: Context, slot: ScheduleSlot): Promise<CommandRun | null> {
  if (!slot.runId || !ctx.viewer) return null;
  const run = await ctx.em.findOne(CommandRun, { id: slot.runId });
  return run && runVisible(ctx.viewer, run) ? run : null;
}
