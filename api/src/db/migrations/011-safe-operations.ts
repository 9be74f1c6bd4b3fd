import { Migration } from '@mikro-orm/migrations';
import { statements } from './schema-sql.js';

// safe operations (issue 24): a run waiting for a second person's approval (status
// PENDING_APPROVAL, then REJECTED or EXPIRED, or RUNNING once approved); the output checks'
// reason and extracted values; the cursors of the logs watched beside a run; a generated
// explanation of a failure
export class Migration011SafeOperations extends Migration {
  up() {
    const knex = this.getKnex();
    // PostgreSQL hands text back unparsed where the entity maps JSON (see 009): jsonb there
    const json = this.config.get('driver')?.name === 'PostgreSqlDriver' ? 'jsonb' : 'text';
    statements(
      knex.schema.alterTable('command_runs', (t) => {
        t.datetime('approval_expires_at').nullable();
        t.string('approved_by_id', 36).nullable();
        t.datetime('approved_at').nullable();
        t.string('rejected_by_id', 36).nullable();
        t.datetime('rejected_at').nullable();
        // the approver's reason for a rejection, bounded (1000 characters) before it is stored
        t.text('reject_reason').nullable();
        // why `failOn` / `successOn` decided the status: the matching line, bounded
        t.text('check_reason').nullable();
        // `extract`: JSON [{ key, value }], bounded
        t.specificType('extracted', json).nullable();
        // `watchLogs`: JSON [{ source, from, to }] cursors of the run's window in each log
        t.specificType('watched_logs', json).nullable();
        t.text('explanation').nullable();
        t.datetime('explained_at').nullable();
        t.string('explanation_model', 200).nullable();
        t.index(['status', 'approval_expires_at']);
      }),
    ).forEach((sql) => this.addSql(sql));
  }
}
