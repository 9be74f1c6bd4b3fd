// The database a backup reads or a restore writes, as the server would open it (DATABASE_URL or
// DATA_DIR/app.db), through knex on a connection of our own: the server's keep working.
import { knex, type Knex } from '@mikro-orm/knex';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { AUTOMATION_USER_ID } from '../modules/users/user.entity.js';
import { OpsError } from './ops.error.js';

export type Database = { kind: 'sqlite'; file: string } | { kind: 'postgresql'; url: string };

export function databaseOf(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Database {
  const url = config.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) return { kind: 'postgresql', url };
  if (url === ':memory:')
    throw new OpsError(
      'DATABASE_URL is :memory: — there is no stored database to back up or restore',
    );
  const file = url
    ? path.resolve(url.replace(/^(sqlite|file):/, ''))
    : path.join(config.DATA_DIR, 'app.db');
  return { kind: 'sqlite', file };
}

/** A small pool on `db`; SQLite waits for the server's writers instead of failing with SQLITE_BUSY. */
export function connect(db: Database): Knex {
  if (db.kind === 'postgresql')
    return knex({ client: 'pg', connection: db.url, pool: { min: 0, max: 1 } });
  return knex({
    client: 'sqlite3',
    connection: { filename: db.file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (
        conn: { run(sql: string, cb: (err: Error | null) => void): void },
        done: (err: Error | null) => void,
      ) => conn.run('pragma busy_timeout = 10000', done),
    },
  });
}

/** Rows of a raw query on either driver (knex wraps them differently). */
export async function rows<T>(k: Knex, sql: string, bindings: unknown[] = []): Promise<T[]> {
  const res = await k.raw(sql, bindings as Knex.RawBinding[]);
  return (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
}

/** Table row counts for the manifest and the summary; a missing table counts 0. */
export async function countRows(k: Knex): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, from] of [
    // people: the built-in @automation account is not one
    ['users', `users where id <> '${AUTOMATION_USER_ID}'`],
    ['runs', 'command_runs'],
    ['files', 'files'],
    ['auditEvents', 'audit_events'],
  ] as const) {
    const [row] = await rows<{ n: number | string }>(k, `select count(*) as n from ${from}`).catch(
      ifNoTable([{ n: 0 }]),
    );
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

/** `fallback` when the query failed only because its table is not there (a database never started on). */
export function ifNoTable<T>(fallback: T): (err: unknown) => T {
  return (err) => {
    if (/no such table|does not exist/.test(String((err as Error)?.message))) return fallback;
    throw err;
  };
}
