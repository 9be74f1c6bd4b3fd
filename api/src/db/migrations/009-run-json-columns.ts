import { Migration } from '@mikro-orm/migrations';

// argv and args were text columns: PostgreSQL hands text back as a string where the entity maps
// JSON (SQLite's driver parses it), so they become jsonb, rows of earlier versions converted in place
export class Migration009RunJsonColumns extends Migration {
  up() {
    if (this.config.get('driver')?.name !== 'PostgreSqlDriver') return; // SQLite keeps JSON in text
    for (const column of ['argv', 'args'])
      this.addSql(
        `alter table "command_runs" alter column "${column}" type jsonb using "${column}"::jsonb`,
      );
  }
}
