import { builder } from '../../builder.js';
import { CommandArgValueRef, CommandRef, CommandRunRef } from '../commands/command.schema.js';
import type { ScheduleView } from './schedule.find.js';
import type { ScheduleSlot } from './schedule.slot.entity.js';
import {
  commandSchedules,
  listSchedules,
  nextRuns,
  recentSlots,
  slotRun,
} from './schedule.service.js';

const ScheduleOverlapEnum = builder.enumType('ScheduleOverlap', {
  description: 'What a scheduled time does when the previous run of its schedule still runs.',
  values: {
    SKIP: { description: 'The time is skipped (recorded SKIPPED).' },
    QUEUE: { description: 'It runs when that run ends; at most one time waits.' },
    ALLOW: { description: 'It runs beside it (within the command’s maxConcurrent).' },
  } as const,
});

const ScheduleOutcomeEnum = builder.enumType('ScheduleOutcome', {
  values: {
    STARTED: { description: 'Its run started.' },
    QUEUED: { description: 'It waits for the previous run of the schedule to end.' },
    SKIPPED: {
      description: 'The previous run still ran (overlap: skip), or a time already waited.',
    },
    REFUSED: {
      description:
        'The run was refused (a limit, arguments the file no longer allows); `detail` says why.',
    },
  } as const,
});

const ScheduleSlotRef = builder.objectRef<ScheduleSlot>('ScheduleSlot').implement({
  description: 'One scheduled time, claimed by one instance.',
  fields: (t) => ({
    dueAt: t.field({
      type: 'DateTime',
      description: 'The scheduled time.',
      resolve: (s) => s.dueAt,
    }),
    outcome: t.field({ type: ScheduleOutcomeEnum, resolve: (s) => s.outcome }),
    detail: t.exposeString('detail', { nullable: true }),
    run: t.field({
      type: CommandRunRef,
      nullable: true,
      description: 'The run it started; null when none did or you may not see it.',
      resolve: (s, _a, ctx) => slotRun(ctx, s),
    }),
  }),
});

const ScheduleRef = builder.objectRef<ScheduleView>('Schedule').implement({
  description: "A time a command runs by itself (the command's `schedules` in agent.yaml).",
  fields: (t) => ({
    id: t.exposeID('id', {
      description: '`<command>:<cron>@<timezone>`; runs carry it as `triggerName`.',
    }),
    command: t.exposeString('command'),
    cron: t.exposeString('cron', {
      description: 'As written: five fields, or six with seconds first.',
    }),
    timezone: t.exposeString('timezone'),
    overlap: t.field({
      type: ScheduleOverlapEnum,
      resolve: (s) => s.overlap.toUpperCase() as 'SKIP',
    }),
    catchUp: t.exposeBoolean('catchUp'),
    args: t.field({ type: [CommandArgValueRef], resolve: (s) => s.args }),
    nextRuns: t.field({
      type: ['DateTime'],
      description: 'The next times it runs (at most 50).',
      args: { first: t.arg.int({ defaultValue: 5 }) },
      resolve: (s, a) => nextRuns(s, a.first),
    }),
    recent: t.field({
      type: [ScheduleSlotRef],
      description: 'Its latest times and what became of each, newest first (at most 100).',
      args: { first: t.arg.int({ defaultValue: 10 }) },
      resolve: (s, a, ctx) => recentSlots(ctx, s, a.first),
    }),
  }),
});

builder.objectField(CommandRef, 'schedules', (t) =>
  t.field({ type: [ScheduleRef], resolve: (c) => commandSchedules(c) }),
);

builder.queryField('schedules', (t) =>
  t.field({
    type: [ScheduleRef],
    description: 'The schedules of the commands your role may run.',
    resolve: (_r, _a, ctx) => listSchedules(ctx),
  }),
);
