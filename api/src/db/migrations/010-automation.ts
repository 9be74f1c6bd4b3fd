import { Migration } from '@mikro-orm/migrations';
import { statements } from './schema-sql.js';

// automation (issue 23): what started a run; a scheduled time claimed once across instances; a
// signed webhook's signature kept to refuse its replay; log-pattern trigger firings; notifications
// waiting to be delivered (an outbox any instance may send from, retried with backoff)
export class Migration010Automation extends Migration {
  up() {
    const knex = this.getKnex();
    const add = (b: Parameters<typeof statements>[0]) =>
      statements(b).forEach((sql) => this.addSql(sql));
    add(
      knex.schema.alterTable('command_runs', (t) => {
        // MANUAL, SCHEDULE, WEBHOOK, LOG_PATTERN
        t.string('trigger', 16).notNullable().defaultTo('MANUAL');
        // the schedule's id, the hook's or the trigger's name; null for a manual run
        t.string('trigger_name', 200).nullable();
      }),
    );
    add(
      knex.schema.createTable('schedule_slots', (t) => {
        // "<command>:<cron>@<timezone>" (schedule.ids.ts): stable when schedules are reordered
        t.string('schedule_id', 200).notNullable();
        // the scheduled time (not when it ran): one row per time, so one instance claims it
        t.datetime('due_at').notNullable();
        t.string('instance_id', 36).notNullable();
        t.datetime('claimed_at').notNullable();
        // the run it started; null when skipped (overlap) or refused, `outcome` says which
        t.string('run_id', 36).nullable();
        // STARTED, QUEUED, SKIPPED, REFUSED
        t.string('outcome', 16).notNullable();
        t.text('detail').nullable();
        t.primary(['schedule_id', 'due_at']);
      }),
    );
    add(
      knex.schema.createTable('hook_deliveries', (t) => {
        t.string('hook', 64).notNullable();
        // hex of the request's HMAC: the same signed request twice is a replay
        t.string('signature', 64).notNullable();
        t.datetime('received_at').notNullable();
        t.string('run_id', 36).nullable();
        t.primary(['hook', 'signature']);
        t.index(['received_at']);
      }),
    );
    add(
      knex.schema.createTable('trigger_firings', (t) => {
        t.string('id', 36).primary();
        t.string('trigger_name', 64).notNullable();
        t.string('source', 64).notNullable();
        // the matching line, bounded (4 KiB) before it is stored
        t.text('line').notNullable();
        // the line's log cursor: with several instances following one file, it fires once
        t.string('cursor', 200).notNullable();
        t.datetime('fired_at').notNullable();
        t.string('run_id', 36).nullable();
        // why its command did not start (refused arguments, a limit), in words
        t.text('error').nullable();
        t.unique(['trigger_name', 'cursor']);
        t.index(['trigger_name', 'fired_at']);
      }),
    );
    add(
      knex.schema.createTable('notifications', (t) => {
        t.string('id', 36).primary();
        // the target's name in agent.yaml `notify:`
        t.string('target', 64).notNullable();
        // RUN_FAILED, RUN_SUCCEEDED, TRIGGER_FIRED, APPROVAL_REQUESTED, TEST
        t.string('event', 32).notNullable();
        t.string('subject', 200).notNullable();
        t.text('body').notNullable();
        t.string('run_id', 36).nullable();
        t.string('firing_id', 36).nullable();
        // PENDING, SENDING, SENT, FAILED (gave up after the last attempt)
        t.string('status', 12).notNullable();
        t.integer('attempts').notNullable().defaultTo(0);
        t.datetime('next_at').notNullable();
        t.text('last_error').nullable();
        t.datetime('created_at').notNullable();
        t.datetime('sent_at').nullable();
        // the instance sending it, until when: another may take it over after
        t.string('claimed_by', 36).nullable();
        t.datetime('claimed_until').nullable();
        t.index(['status', 'next_at']);
        t.index(['created_at']);
      }),
    );
  }
}
