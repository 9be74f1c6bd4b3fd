// Test fixtures for retention: runs inserted straight into the database, their output files on disk.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RetentionSpec } from '../../config/agent-config.types.js';
import type { TestServer } from '../../test/harness.js';
import { CommandRun, OutputChunkRow, type RunStatus } from '../commands/command-run.entity.js';

export const DAY = 86_400_000;

export interface RunFixture {
  command: string;
  /** null: still RUNNING */
  endedDaysAgo: number | null;
  outputBytes?: number;
  /** write an output file of outputBytes (default: when outputBytes is set) */
  file?: boolean;
  /** a legacy `output_chunks` row too */
  legacy?: boolean;
}

/** Inserts the runs (oldest `endedDaysAgo` first in `startedAt` too); their ids, in order given. */
export async function insertRuns(s: TestServer, userId: string, runs: RunFixture[]) {
  const now = Date.now();
  const rows = runs.map((r, i) => {
    const ended = r.endedDaysAgo === null ? null : new Date(now - r.endedDaysAgo * DAY + i);
    const status: RunStatus = ended ? 'SUCCEEDED' : 'RUNNING';
    return Object.assign(new CommandRun(), {
      commandName: r.command,
      argv: ['true'],
      status,
      startedAt: new Date((ended?.getTime() ?? now) - 1000),
      finishedAt: ended,
      startedById: userId,
      outputBytes: r.outputBytes ?? 0,
      // a live owner: another instance's orphan recovery would end a RUNNING row without one
      ownerId: ended ? null : s.app.services.instance.id,
    });
  });
  const em = s.app.services.orm.em.fork();
  await em.insertMany(CommandRun, rows);
  const store = s.app.services.outputStore;
  for (const [i, r] of runs.entries()) {
    const id = rows[i]!.id;
    if (r.file ?? r.outputBytes) {
      await mkdir(path.dirname(store.pathOf(id)), { recursive: true });
      await writeFile(store.pathOf(id), Buffer.alloc(r.outputBytes ?? 10, 'x'));
    }
    if (r.legacy)
      await em.insertMany(OutputChunkRow, [
        Object.assign(new OutputChunkRow(), {
          runId: id,
          seq: 1,
          stream: 'STDOUT',
          data: 'old',
          at: new Date(),
        }),
      ]);
  }
  return rows.map((r) => r.id);
}

/** The sweeper reads agent.yaml's retention at each sweep: tests set it as a reload would. */
export function setRetention(s: TestServer, retention: Partial<RetentionSpec>): void {
  const agent = s.app.services.agent;
  agent.config = {
    ...agent.config,
    retention: { runs: {}, uploads: {}, audit: {}, ...retention },
  };
}

export const runIds = async (s: TestServer, command: string) =>
  (
    await s.app.services.orm.em
      .fork()
      .find(CommandRun, { commandName: command }, { orderBy: { startedAt: 'asc' } })
  ).map((r) => r.id);
