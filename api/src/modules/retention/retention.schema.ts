import { builder } from '../../builder.js';
import { CommandRunRef } from '../commands/command.schema.js';
import type { SweepReport } from './retention.sweeper.js';
import { storageUsage, type RetentionRules, type StorageUsage } from './retention.storage.js';

const RetentionSweepRef = builder.objectRef<SweepReport>('RetentionSweep').implement({
  description: 'What one retention sweep removed.',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (r) => r.at }),
    runs: t.exposeInt('runs', { description: 'Finished runs deleted with their output.' }),
    outputs: t.exposeInt('outputs', {
      description: 'Runs whose output was removed to keep under `outputBytes` (the runs are kept).',
    }),
    uploads: t.exposeInt('uploads'),
    auditEvents: t.exposeInt('auditEvents'),
    notifications: t.exposeInt('notifications', {
      description: 'Sent or given-up notifications older than 30 days (pending ones are kept).',
    }),
    bytesFreed: t.exposeFloat('bytesFreed', { description: 'Run output and uploads freed.' }),
    batches: t.exposeInt('batches'),
  }),
});

const RetentionRulesRef = builder.objectRef<RetentionRules>('RetentionRules').implement({
  description: 'agent.yaml `retention:` as in force now; null keeps that data forever.',
  fields: (t) => ({
    runsDays: t.exposeInt('runsDays', { nullable: true }),
    runsPerCommand: t.exposeInt('runsPerCommand', { nullable: true }),
    outputBytes: t.exposeFloat('outputBytes', { nullable: true }),
    uploadsDays: t.exposeInt('uploadsDays', { nullable: true }),
    auditDays: t.exposeInt('auditDays', {
      nullable: true,
      description: 'agent.yaml `retention.audit.days`, else AUDIT_RETENTION_DAYS.',
    }),
  }),
});

const StorageUsageRef = builder.objectRef<StorageUsage>('StorageUsage').implement({
  description: 'What the data takes, and what retention keeps it to.',
  fields: (t) => ({
    outputBytes: t.exposeFloat('outputBytes', {
      description: 'Stored output of runs whose output is kept (running runs trail by ~1 s).',
    }),
    outputQuotaBytes: t.exposeFloat('outputQuotaBytes', { description: 'OUTPUT_QUOTA_BYTES.' }),
    runs: t.exposeInt('runs'),
    uploadBytes: t.exposeFloat('uploadBytes'),
    uploads: t.exposeInt('uploads'),
    databaseBytes: t.exposeFloat('databaseBytes', {
      nullable: true,
      description: 'SQLite: the file and its write-ahead log; PostgreSQL: pg_database_size.',
    }),
    diskFreeBytes: t.exposeFloat('diskFreeBytes', {
      nullable: true,
      description: 'Free to the server on the file system of DATA_DIR.',
    }),
    diskTotalBytes: t.exposeFloat('diskTotalBytes', { nullable: true }),
    lastSweepAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When this instance last swept.',
      resolve: (u) => u.lastSweep?.at ?? null,
    }),
    lastSweep: t.field({ type: RetentionSweepRef, nullable: true, resolve: (u) => u.lastSweep }),
    retention: t.field({ type: RetentionRulesRef, resolve: (u) => u.retention }),
  }),
});

builder.queryField('storage', (t) =>
  t.field({
    type: StorageUsageRef,
    description: 'ADMIN. Storage used by run output, uploads and the database; retention in force.',
    resolve: (_r, _a, ctx) => storageUsage(ctx),
  }),
);

builder.objectField(CommandRunRef, 'outputRemovedAt', (t) =>
  t.expose('outputRemovedAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When retention removed this finished run’s output (the run itself is kept).',
  }),
);
