import { Migration } from '@mikro-orm/migrations';
import { statements } from './schema-sql.js';

export class Migration003Files extends Migration {
  up() {
    const knex = this.getKnex();
    const add = (b: Parameters<typeof statements>[0]) =>
      statements(b).forEach((sql) => this.addSql(sql));
    add(
      knex.schema.createTable('files', (t) => {
        t.string('id', 36).primary();
        t.string('name', 255).notNullable();
        t.bigInteger('size').notNullable();
        t.string('mime_type', 127).notNullable();
        t.string('sha256', 64).notNullable();
        t.string('uploaded_by_id', 36)
          .notNullable()
          .references('id')
          .inTable('users')
          .onDelete('CASCADE');
        t.datetime('created_at').notNullable();
        t.string('processing_status', 16).notNullable().defaultTo('PENDING');
        t.text('processing_result').nullable();
        t.index(['created_at']);
        t.index(['uploaded_by_id', 'created_at']);
        t.index(['processing_status']);
      }),
    );
  }
}
