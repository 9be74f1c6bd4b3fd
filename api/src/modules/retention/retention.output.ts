// Retention of output by size: while the kept output of all runs exceeds `outputBytes`, the oldest
// finished runs lose their output (file, legacy rows) and are marked `output_removed_at`; the runs stay.
import type { EntityManager } from '@mikro-orm/core';
import type { AppServices } from '../../context.js';
import { CommandRun, OutputChunkRow } from '../commands/command-run.entity.js';
import {
  nothing,
  removeOutputs,
  RETENTION_BATCH,
  yieldToRequests,
  type Removed,
} from './retention.batch.js';

type App = Pick<AppServices, 'orm' | 'outputStore'>;

/** The stored output of runs whose output is kept (running ones included), in bytes. */
export async function keptOutputBytes(app: Pick<AppServices, 'orm'>): Promise<number> {
  const [row] = await app.orm.em
    .fork()
    .getConnection()
    .execute<{ total: number | string | null }[]>(
      'select sum(output_bytes) as total from command_runs where output_removed_at is null',
    );
  return Number(row?.total ?? 0); // PostgreSQL sums into a bigint, read as text
}

export async function sweepOutputOverLimit(
  app: App,
  limit: number,
  now: number,
  stopped: () => boolean,
): Promise<Removed> {
  const done = nothing();
  let excess = (await keptOutputBytes(app)) - limit;
  while (excess > 0 && !stopped()) {
    const oldest = await app.orm.em.fork().find(
      CommandRun,
      { outputRemovedAt: null, finishedAt: { $ne: null }, outputBytes: { $gt: 0 } },
      {
        fields: ['id', 'outputBytes'],
        orderBy: { finishedAt: 'asc', id: 'asc' },
        limit: RETENTION_BATCH,
      },
    );
    if (!oldest.length) break; // what is left belongs to runs still running
    const batch: string[] = [];
    for (const run of oldest) {
      if (excess <= 0) break;
      batch.push(run.id);
      excess -= run.outputBytes;
    }
    const marked = await app.orm.em.fork().transactional(async (em: EntityManager) => {
      await em.nativeDelete(OutputChunkRow, { runId: { $in: batch } });
      return em.nativeUpdate(
        CommandRun,
        { id: { $in: batch }, outputRemovedAt: null },
        { outputRemovedAt: new Date(now) },
      );
    });
    done.bytes += await removeOutputs(app.outputStore, batch);
    done.count += marked;
    done.batches++;
    await yieldToRequests();
  }
  return done;
}
