// Runs from before output files kept their output as rows of `output_chunks`. At start-up each such
// run's rows are written to its file and then deleted, so every reader knows one store.
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Logger } from '../../logger.js';
import type { StreamName } from './command-run.entity.js';
import { encodeFrames } from './output.frame.js';
import type { OutputStore } from './output.store.js';

const ROWS = 500;

interface Row {
  seq: number;
  stream: StreamName;
  data: string;
  at: string | number | Date;
}

/**
 * Moves every run's stored rows to its output file. Safe to repeat and to run on several instances
 * at once: a file is written whole from the rows (again, if a crash came between), and only then
 * are the rows deleted.
 */
export async function moveLegacyOutput(
  orm: MikroORM,
  store: OutputStore,
  log: Logger,
): Promise<number> {
  const em = orm.em.fork() as SqlEntityManager;
  let moved = 0;
  for (;;) {
    const runs = await em.execute<{ run_id: string }[]>(
      'select distinct run_id from output_chunks limit 20',
    );
    if (!runs.length) break;
    for (const { run_id: runId } of runs) {
      const writer = await store.create(runId);
      try {
        for (let after = 0; ;) {
          const rows = await em.execute<Row[]>(
            'select seq, stream, data, at from output_chunks where run_id = ? and seq > ? order by seq limit ?',
            [runId, after, ROWS],
          );
          await writer.append(
            encodeFrames(
              rows.map((r) => ({
                seq: Number(r.seq),
                stream: r.stream,
                data: r.data,
                at: new Date(
                  typeof r.at === 'string' && /^\d+$/.test(r.at) ? Number(r.at) : r.at,
                ).toISOString(),
              })),
            ),
          );
          if (rows.length < ROWS) break;
          after = Number(rows[rows.length - 1]!.seq);
        }
      } finally {
        await writer.close();
      }
      await em.execute('delete from output_chunks where run_id = ?', [runId], 'run');
      moved++;
    }
  }
  if (moved) log.info('run output moved from the database to output files', { runs: moved });
  return moved;
}
