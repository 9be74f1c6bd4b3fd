import { EntitySchema } from '@mikro-orm/core';

/** STARTED: its run began; QUEUED: it waits for the schedule's previous run; SKIPPED: overlap; REFUSED: see detail */
export type ScheduleOutcome = 'STARTED' | 'QUEUED' | 'SKIPPED' | 'REFUSED';

/** One scheduled time of one schedule, claimed by the one instance that inserted it. */
export class ScheduleSlot {
  scheduleId!: string;
  /** the scheduled time, not when it ran */
  dueAt!: Date;
  instanceId!: string;
  claimedAt: Date = new Date();
  runId: string | null = null;
  outcome!: ScheduleOutcome;
  detail: string | null = null;
}

export const ScheduleSlotSchema = new EntitySchema<ScheduleSlot>({
  class: ScheduleSlot,
  tableName: 'schedule_slots',
  properties: {
    scheduleId: { type: 'string', fieldName: 'schedule_id', length: 200, primary: true },
    dueAt: { type: 'datetime', fieldName: 'due_at', primary: true },
    instanceId: { type: 'string', fieldName: 'instance_id', length: 36 },
    claimedAt: { type: 'datetime', fieldName: 'claimed_at' },
    runId: { type: 'string', fieldName: 'run_id', length: 36, nullable: true },
    outcome: { type: 'string', length: 16 },
    detail: { type: 'text', nullable: true },
  },
});
