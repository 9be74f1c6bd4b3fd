import type { Knex } from '@mikro-orm/knex';

/** A knex schema builder may expand to several statements (indexes); run each on its own. */
export function statements(builder: Knex.SchemaBuilder): string[] {
  const sql = builder.toSQL() as unknown as { sql: string }[] | { sql: string };
  return (Array.isArray(sql) ? sql : [sql]).map((q) => q.sql);
}
