import { MikroORM, type Options } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { entities } from './entities.js';
import { loadMigrations, migrationNames } from './migrations.js';

export type Orm = MikroORM;

const MIGRATIONS_TABLE = 'mikro_orm_migrations';

/** `DATABASE_URL` (postgres://…, sqlite:<path>, :memory:) or SQLite at `$DATA_DIR/app.db`. */
export async function initOrm(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Orm> {
  const url = config.DATABASE_URL;
  const common: Options = {
    entities,
    migrations: { transactional: true, snapshot: false, tableName: MIGRATIONS_TABLE, silent: true },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    debug: false,
  };
  let orm: Orm;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    // loaded lazily: SQLite users never pay for the pg driver
    const { PostgreSqlDriver } = await import('@mikro-orm/postgresql');
    orm = await MikroORM.init({ ...common, driver: PostgreSqlDriver, clientUrl: url } as Options);
  } else {
    const dbName = !url
      ? path.join(config.DATA_DIR, 'app.db')
      : url === ':memory:'
        ? url
        : url.replace(/^(sqlite|file):/, '');
    // created 0600 before SQLite opens it: its -wal and -shm files take the database file's mode
    if (dbName !== ':memory:') closeSync(openSync(dbName, 'a', 0o600));
    orm = await MikroORM.init({
      ...common,
      driver: SqliteDriver,
      dbName,
      pool: {
        min: 1,
        max: 1,
        // WAL for concurrent readers, a busy timeout instead of SQLITE_BUSY, FKs enforced
        afterCreate: (
          conn: { exec(sql: string, cb: (err: Error | null) => void): void },
          done: (err: Error | null) => void,
        ) =>
          conn.exec(
            'pragma journal_mode = wal; pragma busy_timeout = 5000; pragma foreign_keys = on; pragma synchronous = normal;',
            done,
          ),
      },
    } as Options);
  }
  await withStartupLock(orm, () => migrate(orm));
  return orm;
}

// any fixed 64-bit number works; this one spells "tinyagnt" so it is recognisable in pg_locks
const STARTUP_LOCK = '8388357248558526068';

/**
 * Runs start-up work (migrations, the initial admin) one instance at a time. On PostgreSQL an
 * advisory lock held on a connection of its own: instances started together wait for each other
 * instead of racing, and a crashed holder's lock ends with its connection. SQLite serves one
 * process, whose own file lock and busy timeout are enough: `work` simply runs.
 */
export async function withStartupLock<T>(orm: Orm, work: () => Promise<T>): Promise<T> {
  if (!isPostgres(orm)) return work();
  const knex = (orm.em as SqlEntityManager).getConnection().getKnex();
  const client = knex.client as {
    acquireConnection(): Promise<{ query(sql: string): Promise<unknown> }>;
    releaseConnection(conn: unknown): Promise<void>;
  };
  const conn = await client.acquireConnection();
  try {
    await conn.query(`select pg_advisory_lock(${STARTUP_LOCK})`);
    try {
      return await work();
    } finally {
      await conn.query(`select pg_advisory_unlock(${STARTUP_LOCK})`);
    }
  } finally {
    await client.releaseConnection(conn);
  }
}

export const isPostgres = (orm: Orm): boolean =>
  orm.config.get('driver')?.name === 'PostgreSqlDriver';

/** Applies pending migrations; on an up-to-date database (every start but the first) the migrator isn't loaded. */
async function migrate(orm: Orm): Promise<void> {
  const em = orm.em.fork() as SqlEntityManager;
  const applied = await em
    .execute<{ name: string }[]>(`select name from ${MIGRATIONS_TABLE}`)
    .then((rows) => new Set(rows.map((r) => r.name)))
    .catch(() => new Set<string>()); // no table yet: a new database
  if (migrationNames.every((name) => applied.has(name))) return;
  orm.config.get('migrations').migrationsList = await loadMigrations();
  const { Migrator } = await import('@mikro-orm/migrations');
  await new Migrator(orm.em as SqlEntityManager).up();
}
