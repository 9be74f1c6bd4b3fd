import { Migration } from '@mikro-orm/migrations';
import { statements } from './schema-sql.js';

export class Migration002CommandRuns extends Migration {
  up() {
    const knex = this.getKnex();
    const add = (b: Parameters<typeof statements>[0]) =>
      statements(b).forEach((sql) => this.addSql(sql));
    add(
      knex.schema.createTable('command_runs', (t) => {
        t.string('id', 36).primary();
        t.string('command_name', 64).notNullable();
        t.text('argv').notNullable();
        t.string('status', 16).notNullable();
        t.integer('exit_code').nullable();
        t.string('signal', 16).nullable();
        t.text('error').nullable();
        t.datetime('started_at').notNullable();
        t.datetime('finished_at').nullable();
        t.string('started_by_id', 36)
          .notNullable()
          .references('id')
          .inTable('users')
          .onDelete('CASCADE');
        t.integer('output_bytes').notNullable().defaultTo(0);
        t.boolean('output_truncated').notNullable().defaultTo(false);
        t.integer('last_seq').notNullable().defaultTo(0);
        t.index(['started_at']);
        t.index(['started_by_id', 'started_at']);
        t.index(['status']);
      }),
    );
    add(
      knex.schema.createTable('output_chunks', (t) => {
        t.increments('id').primary();
        t.string('run_id', 36)
          .notNullable()
          .references('id')
          .inTable('command_runs')
          .onDelete('CASCADE');
        t.integer('seq').notNullable();
        t.string('stream', 8).notNullable();
        t.text('data').notNullable();
        t.datetime('at').notNullable();
        t.unique(['run_id', 'seq']);
      }),
    );
  }
}
