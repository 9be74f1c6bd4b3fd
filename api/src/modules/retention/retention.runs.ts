// Retention of runs: finished runs past `runs.days`, or beyond the newest `runs.perCommand` of a
// command, are deleted with their output. A run that has not finished is never touched.
import type { QueryOrderMap } from '@mikro-orm/core';
import type { QBFilterQuery, SqlEntityManager } from '@mikro-orm/knex';
import type { AppServices } from '../../context.js';
import { CommandRun } from '../commands/command-run.entity.js';
import {
  nothing,
  removeOutputs,
  RETENTION_BATCH,
  yieldToRequests,
  type Removed,
} from './retention.batch.js';

type App = Pick<AppServices, 'orm' | 'outputStore'>;
const DAY_MS = 86_400_000;

/** Deletes the runs' rows (their legacy output rows go by the foreign key's cascade), then their output files. */
export async function deleteRuns(
  app: App,
  ids: string[],
): Promise<{ rows: number; bytes: number }> {
  // one statement, so no transaction to hold open; only finished runs, whatever happened since the select
  const rows = await app.orm.em
    .fork()
    .nativeDelete(CommandRun, { id: { $in: ids }, finishedAt: { $ne: null } });
  // the rows go first: a file left by a failed unlink is an orphan, never a run without output
  const bytes = await removeOutputs(app.outputStore, ids);
  return { rows, bytes };
}

/** A batch of run ids, read as plain rows: hydrating entities would only cost time here. */
function idsOf(
  app: App,
  where: QBFilterQuery<CommandRun>,
  orderBy: QueryOrderMap<CommandRun>,
  offset = 0,
): Promise<{ id: string }[]> {
  return (app.orm.em.fork() as SqlEntityManager)
    .createQueryBuilder(CommandRun)
    .select('id')
    .where(where)
    .orderBy(orderBy)
    .offset(offset)
    .limit(RETENTION_BATCH)
    .execute('all');
}

/** Finished runs that ended more than `days` ago, oldest first. */
export async function sweepOldRuns(
  app: App,
  days: number,
  now: number,
  stopped: () => boolean,
): Promise<Removed> {
  const done = nothing();
  const cutoff = new Date(now - days * DAY_MS);
  while (!stopped()) {
    const batch = await idsOf(
      app,
      { finishedAt: { $lt: cutoff }, status: { $ne: 'RUNNING' } },
      { finishedAt: 'asc', id: 'asc' },
    );
    if (!batch.length) break;
    const { rows, bytes } = await deleteRuns(
      app,
      batch.map((r) => r.id),
    );
    Object.assign(done, { count: done.count + rows, bytes: done.bytes + bytes });
    done.batches++;
    if (batch.length < RETENTION_BATCH) break;
    await yieldToRequests();
  }
  return done;
}

/** For each command with more finished runs than `keep`, the ones past its newest `keep`. */
export async function sweepRunsPerCommand(
  app: App,
  keep: number,
  stopped: () => boolean,
): Promise<Removed> {
  const done = nothing();
  const over = await app.orm.em
    .fork()
    .getConnection()
    .execute<{ command_name: string }[]>(
      'select command_name from command_runs where finished_at is not null group by command_name having count(*) > ?',
      [keep],
    );
  for (const { command_name: commandName } of over) {
    while (!stopped()) {
      // the newest `keep` are skipped; each pass deletes the next batch past them
      const batch = await idsOf(
        app,
        { commandName, finishedAt: { $ne: null }, status: { $ne: 'RUNNING' } },
        { startedAt: 'desc', id: 'desc' },
        keep,
      );
      if (!batch.length) break;
      const { rows, bytes } = await deleteRuns(
        app,
        batch.map((r) => r.id),
      );
      Object.assign(done, { count: done.count + rows, bytes: done.bytes + bytes });
      done.batches++;
      await yieldToRequests();
      if (batch.length < RETENTION_BATCH || !rows) break;
    }
  }
  return done;
}
