import { Migration } from '@mikro-orm/migrations';
import { statements } from './schema-sql.js';

// knex's schema builder keeps one migration valid on SQLite and PostgreSQL
export class Migration001Accounts extends Migration {
  up() {
    const knex = this.getKnex();
    for (const sql of statements(
      knex.schema.createTable('users', (t) => {
        t.string('id', 36).primary();
        t.string('username', 64).notNullable().unique();
        t.string('password_hash', 255).notNullable();
        t.string('role', 8).notNullable();
        t.boolean('disabled').notNullable().defaultTo(false);
        t.datetime('created_at').notNullable();
        t.datetime('last_login_at').nullable();
        t.integer('auth_version').notNullable().defaultTo(0);
      }),
    ))
      this.addSql(sql);
    for (const sql of statements(
      knex.schema.createTable('sessions', (t) => {
        t.string('id', 36).primary();
        t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
        t.string('token_hash', 64).notNullable().unique();
        t.datetime('created_at').notNullable();
        t.datetime('last_seen_at').notNullable();
        t.datetime('expires_at').notNullable();
        t.index(['user_id']);
      }),
    ))
      this.addSql(sql);
    for (const sql of statements(
      knex.schema.createTable('api_tokens', (t) => {
        t.string('id', 36).primary();
        t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
        t.string('name', 100).notNullable();
        t.string('token_hash', 64).notNullable().unique();
        t.datetime('created_at').notNullable();
        t.datetime('expires_at').nullable();
        t.datetime('last_used_at').nullable();
        t.datetime('revoked_at').nullable();
        t.index(['user_id']);
      }),
    ))
      this.addSql(sql);
  }
}
