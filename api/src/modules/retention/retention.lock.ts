// One sweep at a time across instances sharing a PostgreSQL database (their deletes are idempotent
// anyway; this only saves the duplicate work). SQLite serves one process: the work simply runs.
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { isPostgres } from '../../db/orm.js';

// "tinyswep": another fixed 64-bit key, distinct from the start-up lock's
export const SWEEP_LOCK = '8388357248726083952';

/** `work`'s result, or null when another instance is sweeping right now (it does the job). */
export async function withSweepLock<T>(orm: MikroORM, work: () => Promise<T>): Promise<T | null> {
  if (!isPostgres(orm)) return work();
  const knex = (orm.em as SqlEntityManager).getConnection().getKnex();
  const client = knex.client as {
    acquireConnection(): Promise<{ query(sql: string): Promise<{ rows: { ok: boolean }[] }> }>;
    releaseConnection(conn: unknown): Promise<void>;
  };
  const conn = await client.acquireConnection();
  try {
    const got = await conn.query(`select pg_try_advisory_lock(${SWEEP_LOCK}) as ok`);
    if (!got.rows[0]?.ok) return null;
    try {
      return await work();
    } finally {
      await conn.query(`select pg_advisory_unlock(${SWEEP_LOCK})`);
    }
  } finally {
    await client.releaseConnection(conn);
  }
}
