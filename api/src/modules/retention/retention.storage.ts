// What the data takes: kept run output against its quota, uploads, the database, the disk under
// DATA_DIR, the retention rules in force and the last sweep. For administrators only.
import { stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../../context.js';
import { isPostgres } from '../../db/orm.js';
import { auditRetentionDays } from '../audit/audit.retention.js';
import { requireAdmin } from '../auth/guards.js';
import { CommandRun } from '../commands/command-run.entity.js';
import { keptOutputBytes } from './retention.output.js';
import type { SweepReport } from './retention.sweeper.js';

export interface RetentionRules {
  runsDays: number | null;
  runsPerCommand: number | null;
  outputBytes: number | null;
  uploadsDays: number | null;
  /** null: audit events are kept forever */
  auditDays: number | null;
}

export interface StorageUsage {
  outputBytes: number;
  outputQuotaBytes: number;
  runs: number;
  uploadBytes: number;
  uploads: number;
  databaseBytes: number | null;
  diskFreeBytes: number | null;
  diskTotalBytes: number | null;
  lastSweep: SweepReport | null;
  retention: RetentionRules;
}

export async function storageUsage(ctx: Context): Promise<StorageUsage> {
  requireAdmin(ctx);
  const { app } = ctx;
  const [uploads] = await ctx.em
    .getConnection()
    .execute<{ n: number | string; bytes: number | string | null }[]>(
      'select count(*) as n, sum(size) as bytes from files',
    );
  const disk = await statfs(app.config.DATA_DIR).catch(() => null);
  const rules = app.agent.config.retention;
  return {
    outputBytes: await keptOutputBytes(app),
    outputQuotaBytes: app.config.OUTPUT_QUOTA_BYTES,
    runs: await ctx.em.count(CommandRun, {}),
    uploadBytes: Number(uploads?.bytes ?? 0),
    uploads: Number(uploads?.n ?? 0),
    databaseBytes: await databaseBytes(ctx),
    diskFreeBytes: disk ? disk.bavail * disk.bsize : null,
    diskTotalBytes: disk ? disk.blocks * disk.bsize : null,
    lastSweep: app.retention.last,
    retention: {
      runsDays: rules.runs.days ?? null,
      runsPerCommand: rules.runs.perCommand ?? null,
      outputBytes: rules.outputBytes ?? null,
      uploadsDays: rules.uploads.days ?? null,
      auditDays: auditRetentionDays(app) || null,
    },
  };
}

/** PostgreSQL: the database's size; SQLite: its file and write-ahead log; null if unknown. */
async function databaseBytes(ctx: Context): Promise<number | null> {
  if (isPostgres(ctx.app.orm)) {
    const [row] = await ctx.em
      .getConnection()
      .execute<{ bytes: string }[]>('select pg_database_size(current_database()) as bytes');
    return row ? Number(row.bytes) : null;
  }
  const url = ctx.app.config.DATABASE_URL;
  if (url === ':memory:') return null;
  const file = url
    ? url.replace(/^(sqlite|file):/, '')
    : path.join(ctx.app.config.DATA_DIR, 'app.db');
  const sizes = await Promise.all(
    [file, `${file}-wal`].map((f) =>
      stat(f).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}
