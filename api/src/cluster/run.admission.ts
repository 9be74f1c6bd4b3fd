import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { CommandSpec } from '../config/agent-config.js';
import type { CommandRun } from '../modules/commands/command-run.entity.js';
import { refusal } from '../modules/commands/command.supervisor.js';

// one fixed key of ours: every instance's admission queues on the same PostgreSQL advisory lock
const ADMISSION_LOCK = 7_146_001;

/**
 * Every RUNNING run, a gone owner's too: its child may still be running until the takeover (one
 * lease later), and an instance slow to renew must not let a limit be exceeded.
 */
async function counts(
  em: SqlEntityManager,
  commandName: string,
): Promise<{ mine: number; total: number }> {
  const [row] = await em.execute<{ mine: string | number; total: string | number }[]>(
    `select count(case when command_name = ? then 1 end) as mine, count(*) as total
       from command_runs where status = 'RUNNING'`,
    [commandName],
  );
  return { mine: Number(row?.mine ?? 0), total: Number(row?.total ?? 0) };
}

/**
 * Admission on a shared database: under one transaction-scoped lock, count what runs on every
 * instance and insert the run row, so two instances can't both take the last slot.
 */
export async function admitShared(
  em: EntityManager,
  spec: CommandSpec,
  maxRunning: number,
  // a string: the run could not be taken after all (an approval another instance decided first)
  create: (tx: EntityManager) => CommandRun | Promise<CommandRun | string>,
): Promise<CommandRun | string> {
  return em.transactional(async (tx) => {
    const sql = tx as SqlEntityManager;
    await sql.execute('select pg_advisory_xact_lock(?)', [ADMISSION_LOCK]);
    const now = await counts(sql, spec.name);
    const refused = refusal(spec, now.mine, now.total, maxRunning);
    if (refused) return refused;
    const run = await create(tx);
    if (typeof run === 'string') return run;
    await tx.flush();
    return run;
  });
}

/** How many runs of `commandName` are in progress on every instance. */
export async function runningShared(em: EntityManager, commandName: string): Promise<number> {
  return (await counts(em as SqlEntityManager, commandName)).mine;
}
