import { readdirSync, readFileSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from '../../logger.js';
import { CommandRun } from './command-run.entity.js';

/** Pids whose environment carries this run's id: exactly what the run started, never a reused pid. */
function processesOfRun(runId: string): number[] {
  const marker = `TINY_AGENT_RUN_ID=${runId}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker))
        pids.push(Number(entry));
    } catch {
      // gone already, or not ours to read
    }
  }
  return pids;
}

/** After a crash: runs still marked RUNNING are INTERRUPTED, and whatever they left running is killed. */
export async function recoverInterruptedRuns(orm: MikroORM, log: Logger): Promise<number> {
  const em = orm.em.fork();
  const stale = await em.find(CommandRun, { status: 'RUNNING' });
  for (const run of stale) {
    const pids = processesOfRun(run.id);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    run.status = 'INTERRUPTED';
    run.finishedAt = new Date();
    run.error = 'The server stopped while this command was running.';
    log.warn('run interrupted by a server restart', {
      runId: run.id,
      command: run.commandName,
      killed: pids.length,
    });
  }
  await em.flush();
  return stale.length;
}
