import { Migration } from '@mikro-orm/migrations';
import { statements } from './schema-sql.js';

// runs belong to the instance that started them; a lease in the database says which are alive
export class Migration006Instances extends Migration {
  up() {
    const knex = this.getKnex();
    const add = (b: Parameters<typeof statements>[0]) =>
      statements(b).forEach((sql) => this.addSql(sql));
    add(
      knex.schema.createTable('instances', (t) => {
        t.string('id', 36).primary();
        t.string('host', 255).notNullable();
        t.integer('pid').notNullable();
        t.datetime('started_at').notNullable();
        // milliseconds since the epoch on the database's clock: one clock for every instance
        t.bigInteger('lease_until').notNullable();
        t.index(['lease_until']);
      }),
    );
    add(
      knex.schema.alterTable('command_runs', (t) => {
        // null: a run from before this migration (recovered as if its owner were gone)
        t.string('owner_id', 36).nullable();
        t.datetime('cancel_requested_at').nullable();
        t.index(['status', 'owner_id']);
      }),
    );
  }
}
