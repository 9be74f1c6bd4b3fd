import { Migration } from '@mikro-orm/migrations';
import { statements } from './schema-sql.js';

// the arguments a run was started with, so "Run again" can offer them; older runs have none
export class Migration005RunArgs extends Migration {
  up() {
    const knex = this.getKnex();
    statements(
      knex.schema.alterTable('command_runs', (t) => {
        t.text('args').nullable();
      }),
    ).forEach((sql) => this.addSql(sql));
  }
}
