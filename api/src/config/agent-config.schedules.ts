// agent.yaml `schedules:` on a command: when it runs by itself, with which arguments, and what
// happens when the previous run still runs. Arguments are judged by the rules a person's are.
import { Cron } from 'croner';
import { z } from 'zod';
import { BadUserInputError } from '../errors.js';
import { resolveArgv } from '../modules/commands/command.args.js';
import { valueProblem } from './agent-config.rules.js';
import type { CommandSpec, ScheduleSpec } from './agent-config.types.js';

// bounded so `<command>:<cron>@<timezone>` fits the 200 characters of schedule_slots.schedule_id
const CRON_MAX = 80;
const ZONE_MAX = 50;
const SCHEDULES_MAX = 50;

/** five fields, or six with seconds first; never fires itself (the scheduler arms its own timers) */
export const cronOf = (cron: string, timezone: string) =>
  new Cron(cron, { timezone, paused: true, mode: '5-or-6-parts' });

/** The schedule's name in runs and slots: stable when schedules are reordered. */
export const scheduleId = (command: string, cron: string, timezone: string) =>
  `${command}:${cron}@${timezone}`;

const knownZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const schedule = z
  .strictObject({
    cron: z.string().min(1).max(CRON_MAX),
    timezone: z
      .string()
      .max(ZONE_MAX)
      .refine(knownZone, 'must be an IANA time zone name (Europe/Paris, America/New_York, UTC)')
      .default('UTC'),
    args: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .default({}),
    overlap: z
      .enum(['skip', 'queue', 'allow'], { error: 'must be one of: skip, queue, allow' })
      .default('skip'),
    catchUp: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    if (!knownZone(s.timezone)) return; // already said
    try {
      cronOf(s.cron, s.timezone);
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        path: ['cron'],
        message: `is not a cron expression of five fields, or six with seconds first (${(err as Error).message})`,
      });
    }
  });

export const schedulesSchema = z.array(schedule).max(SCHEDULES_MAX).default([]);

type RawSchedule = z.output<typeof schedule>;

/** The parsed entries with their ids, in the shape the rest of the server reads. */
export const withIds = (command: string, raw: RawSchedule[]): ScheduleSpec[] =>
  raw.map((s) => ({
    id: scheduleId(command, s.cron, s.timezone),
    cron: s.cron,
    timezone: s.timezone,
    args: Object.entries(s.args).map(([name, value]) => ({ name, value })),
    overlap: s.overlap,
    catchUp: s.catchUp,
  }));

/**
 * A command's schedules against its own arguments, as a manual run would be judged (declared,
 * valid, required ones given, paths inside their roots); a `file` argument cannot be given by the
 * server. Two equal schedules on one command would share an id.
 */
export async function checkSchedules(spec: CommandSpec, ctx: z.RefinementCtx): Promise<void> {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['schedules', ...path], message });
  const seen = new Map<string, number>();
  for (const [i, s] of spec.schedules.entries()) {
    const first = seen.get(s.id);
    if (first !== undefined)
      issue([i, 'cron'], `the same schedule as schedules[${first}] (same cron and timezone)`);
    seen.set(s.id, i);
    let ok = true;
    for (const { name, value } of s.args) {
      const arg = spec.args.find((a) => a.name === name);
      const problem = !arg
        ? `"${spec.name}" has no argument "${name}"; ${spec.args.length ? `it takes: ${spec.args.map((a) => a.name).join(', ')}` : 'it takes no arguments'}`
        : arg.type === 'file'
          ? 'is a file argument: a schedule cannot give an uploaded file'
          : valueProblem(arg, value);
      if (problem) issue([i, 'args', name], problem);
      ok &&= !problem;
    }
    for (const arg of spec.args) {
      if (arg.type === 'file' && arg.required)
        issue([i, 'args'], `"${arg.name}" is a required file argument: a schedule cannot run it`);
      else if (arg.required && !s.args.some((a) => a.name === arg.name))
        issue([i, 'args'], `argument "${arg.name}" is required`);
      else continue;
      ok = false;
    }
    if (!ok) continue;
    // what needs the disk (a path inside its roots), judged by the very code a run uses
    try {
      await resolveArgv(spec, s.args, {
        resolveFile: () => Promise.reject(new BadUserInputError('no file')),
      });
    } catch (err) {
      issue([i, 'args'], (err as Error).message);
    }
  }
}
