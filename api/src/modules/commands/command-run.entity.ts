import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export type RunStatus =
  'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT' | 'INTERRUPTED';

/** What started a run: a person (or a script with their token), a schedule, a signed webhook, a log line. */
export type RunTrigger = 'MANUAL' | 'SCHEDULE' | 'WEBHOOK' | 'LOG_PATTERN';

/** What started a run, kept on it (`trigger`, `triggerName`). */
export interface RunOrigin {
  trigger: RunTrigger;
  /** the schedule's id, the hook's or the trigger's name */
  name: string | null;
}

export const MANUAL: RunOrigin = { trigger: 'MANUAL', name: null };

export class CommandRun {
  id: string = randomUUID();
  commandName!: string;
  argv: string[] = [];
  /** the caller's arguments as given (validated), for "Run again"; null on runs from before they were kept */
  args: { name: string; value: string }[] | null = null;
  status: RunStatus = 'RUNNING';
  exitCode: number | null = null;
  signal: string | null = null;
  /** why it failed to start, in words */
  error: string | null = null;
  startedAt: Date = new Date();
  finishedAt: Date | null = null;
  startedById!: string;
  outputBytes = 0;
  outputTruncated = false;
  lastSeq = 0;
  /** the instance that runs it (its lease is in `instances`); null on runs from before ownership */
  ownerId: string | null = null;
  /** a cancel asked for from any instance; the owner sees it on its next heartbeat */
  cancelRequestedAt: Date | null = null;
  /** retention removed this finished run's output (the run itself is kept) */
  outputRemovedAt: Date | null = null;
  trigger: RunTrigger = 'MANUAL';
  /** the schedule's id, the hook's or the log trigger's name; null for a manual run */
  triggerName: string | null = null;
}

export const CommandRunSchema = new EntitySchema<CommandRun>({
  class: CommandRun,
  tableName: 'command_runs',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    commandName: { type: 'string', fieldName: 'command_name', length: 64 },
    argv: { type: 'json' },
    args: { type: 'json', nullable: true },
    status: { type: 'string', length: 16 },
    exitCode: { type: 'integer', fieldName: 'exit_code', nullable: true },
    signal: { type: 'string', length: 16, nullable: true },
    error: { type: 'text', nullable: true },
    startedAt: { type: 'datetime', fieldName: 'started_at' },
    finishedAt: { type: 'datetime', fieldName: 'finished_at', nullable: true },
    startedById: { type: 'string', fieldName: 'started_by_id', length: 36 },
    outputBytes: { type: 'integer', fieldName: 'output_bytes' },
    outputTruncated: { type: 'boolean', fieldName: 'output_truncated' },
    lastSeq: { type: 'integer', fieldName: 'last_seq' },
    ownerId: { type: 'string', fieldName: 'owner_id', length: 36, nullable: true },
    cancelRequestedAt: { type: 'datetime', fieldName: 'cancel_requested_at', nullable: true },
    outputRemovedAt: { type: 'datetime', fieldName: 'output_removed_at', nullable: true },
    trigger: { type: 'string', length: 16 },
    triggerName: { type: 'string', fieldName: 'trigger_name', length: 200, nullable: true },
  },
});

export type StreamName = 'STDOUT' | 'STDERR';

/** One stored piece of a run's output; `seq` only grows within a run. */
export class OutputChunkRow {
  id!: number;
  runId!: string;
  seq!: number;
  stream!: StreamName;
  data!: string;
  at!: Date;
}

export const OutputChunkSchema = new EntitySchema<OutputChunkRow>({
  class: OutputChunkRow,
  tableName: 'output_chunks',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    runId: { type: 'string', fieldName: 'run_id', length: 36 },
    seq: { type: 'integer' },
    stream: { type: 'string', length: 8 },
    data: { type: 'text' },
    at: { type: 'datetime' },
  },
});
