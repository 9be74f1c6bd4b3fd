import { Migration } from '@mikro-orm/migrations';
import { statements } from './schema-sql.js';

// sign-in guesses shared by every instance on one PostgreSQL (login-limiter.db.ts); unused on SQLite
export class Migration007LoginGuesses extends Migration {
  up() {
    const knex = this.getKnex();
    statements(
      knex.schema.createTable('login_guesses', (t) => {
        t.bigIncrements('id').primary();
        // 'a:' or 'i:' and a 22-character digest of the account or the client address
        t.string('key', 32).notNullable();
        // flight: being verified; fail: a wrong guess; noted: its refusal was audited
        t.string('kind', 8).notNullable();
        t.datetime('at').notNullable();
        t.datetime('expires_at').notNullable();
        t.index(['key', 'expires_at']);
        t.index(['expires_at']);
      }),
    ).forEach((sql) => this.addSql(sql));
  }
}
