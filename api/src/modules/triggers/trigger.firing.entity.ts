import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** One time a log-pattern trigger fired: the line, where it was, what it started or why not. */
export class TriggerFiring {
  id: string = randomUUID();
  triggerName!: string;
  source!: string;
  /** the matching line, cut to 4 KiB */
  line!: string;
  /** the line's log cursor: unique with the trigger, so instances following one file fire once */
  cursor!: string;
  firedAt: Date = new Date();
  runId: string | null = null;
  /** why its command did not start (refused arguments, a limit), in words */
  error: string | null = null;
}

export const TriggerFiringSchema = new EntitySchema<TriggerFiring>({
  class: TriggerFiring,
  tableName: 'trigger_firings',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    triggerName: { type: 'string', fieldName: 'trigger_name', length: 64 },
    source: { type: 'string', length: 64 },
    line: { type: 'text' },
    cursor: { type: 'string', length: 200 },
    firedAt: { type: 'datetime', fieldName: 'fired_at' },
    runId: { type: 'string', fieldName: 'run_id', length: 36, nullable: true },
    error: { type: 'text', nullable: true },
  },
});
