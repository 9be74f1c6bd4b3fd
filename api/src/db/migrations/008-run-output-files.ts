import { Migration } from '@mikro-orm/migrations';
import { statements } from './schema-sql.js';

// run output moves to append-only files (output.store.ts); retention may remove a finished run's
// output while keeping the run, and finds the oldest runs per command by this index
export class Migration008RunOutputFiles extends Migration {
  up() {
    const knex = this.getKnex();
    statements(
      knex.schema.alterTable('command_runs', (t) => {
        t.datetime('output_removed_at').nullable();
        t.index(['command_name', 'started_at']);
        t.index(['finished_at']);
      }),
    ).forEach((sql) => this.addSql(sql));
  }
}
