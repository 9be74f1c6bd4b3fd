import { Migration } from '@mikro-orm/migrations';
import { statements } from './schema-sql.js';

export class Migration004Audit extends Migration {
  up() {
    const knex = this.getKnex();
    const add = (b: Parameters<typeof statements>[0]) =>
      statements(b).forEach((sql) => this.addSql(sql));
    add(
      knex.schema.createTable('audit_events', (t) => {
        t.string('id', 36).primary();
        t.datetime('at').notNullable();
        t.string('action', 32).notNullable();
        // no foreign key: an event outlives the user it names
        t.string('actor_id', 36).nullable();
        t.string('actor_name', 64).nullable();
        t.string('ip', 64).nullable();
        t.string('target', 256).nullable();
        t.text('detail').nullable();
        t.index(['at', 'id']);
        t.index(['action', 'at']);
        t.index(['actor_id', 'at']);
      }),
    );
  }
}
