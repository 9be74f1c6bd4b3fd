import { readdirSync, readFileSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { InstanceLease } from '../../cluster/instance.lease.js';
import type { Logger } from '../../logger.js';
import type { PubSub } from '../../realtime/pubsub.js';
import { CommandRun } from './command-run.entity.js';
import type { OutputStore } from './output.store.js';

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

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
}

interface Orphan {
  id: string;
  owner_id: string | null;
  last_seq: number;
  started_by_id: string;
  command_name: string;
}

const GONE = 'The server running this command stopped (crashed or lost its lease) before it ended.';

/**
 * Runs still RUNNING whose owner is gone (its lease expired, or a row from before owners) are
 * INTERRUPTED, whatever they left running on this host is killed, and their end is published so
 * every subscriber completes. Each run is claimed by one conditional UPDATE: of several instances
 * looking at once, only the one that changed the row acts. `atStart` on SQLite (one instance
 * only): every other owner is gone, since this process is the only one. Returns the ids of the
 * runs this call interrupted (their notifications are the caller's).
 */
export async function recoverOrphanedRuns(
  orm: MikroORM,
  lease: InstanceLease,
  pubsub: PubSub,
  log: Logger,
  store: OutputStore,
  atStart = false,
): Promise<string[]> {
  const em = orm.em.fork() as SqlEntityManager;
  const everyOtherIsGone = atStart && !lease.shared;
  const orphans = await em.execute<Orphan[]>(
    `select r.id, r.owner_id, r.last_seq, r.started_by_id, r.command_name
       from command_runs r left join instances i on i.id = r.owner_id
      where r.status = 'RUNNING' and (r.owner_id is null or (r.owner_id <> ? and
            ${everyOtherIsGone ? '1 = 1' : `(i.id is null or not ${lease.alive('i')})`}))`,
    [lease.id],
  );
  const claimed: string[] = [];
  for (const o of orphans) {
    const changed = await em.nativeUpdate(
      CommandRun,
      { id: o.id, status: 'RUNNING', ownerId: o.owner_id },
      { status: 'INTERRUPTED', finishedAt: new Date(), error: GONE },
    );
    if (!changed) continue; // another instance claimed it first
    claimed.push(o.id);
    const pids = processesOfRun(o.id);
    killAll(pids);
    const lastSeq = await settleOutput(em, store, o, everyOtherIsGone, log);
    pubsub.publish('runOutput', { end: { lastSeq } }, o.id);
    pubsub.publish('runUpdated', { runId: o.id, startedById: o.started_by_id });
    log.warn('run interrupted: the server running it is gone', {
      runId: o.id,
      command: o.command_name,
      owner: o.owner_id,
      killed: pids.length,
    });
  }
  // their runs are settled: the rows of gone instances go too
  await em.execute(
    `delete from instances where id <> ?${everyOtherIsGone ? '' : ` and not ${lease.alive('instances')}`}`,
    [lease.id],
    'run',
  );
  return claimed;
}

/**
 * The row's counters trail the output file by up to a second: they are set from the file, read to
 * its last whole frame. When nobody else can be writing it (`cut`), a torn last frame is cut off,
 * so a restart leaves no half-written record. The end published is the larger seq of the two.
 */
async function settleOutput(
  em: SqlEntityManager,
  store: OutputStore,
  o: Orphan,
  cut: boolean,
  log: Logger,
): Promise<number> {
  const rowSeq = Number(o.last_seq);
  try {
    const extent = await store.extent(o.id, cut);
    if (!extent) return rowSeq;
    const lastSeq = Math.max(rowSeq, extent.lastSeq);
    await em.nativeUpdate(CommandRun, { id: o.id }, { lastSeq, outputBytes: extent.bytes });
    return lastSeq;
  } catch (err) {
    log.error("could not read an interrupted run's output file", { runId: o.id, err });
    return rowSeq;
  }
}
