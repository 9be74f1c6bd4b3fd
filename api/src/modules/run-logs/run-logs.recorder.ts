// Records each run's window in the logs its command watches (agent.yaml `watchLogs:`): the end
// cursor of each source just before the process starts, and again once its end is recorded.
import type { WatchedLogWindow } from '../commands/command-run.entity.js';
import { CommandRun } from '../commands/command-run.entity.js';
import type { AppServices } from '../../context.js';
import { endCursorNow } from './run-logs.window.js';

interface Open {
  /** the paths as they were at the start: a later agent.yaml edit does not move the window */
  paths: string[];
  windows: WatchedLogWindow[];
  stored: Promise<void>;
}

export class RunLogsRecorder {
  private readonly open = new Map<string, Open>();
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly app: AppServices) {
    app.supervisor.onRunStart((run, spec) => this.started(run.id, spec.watchLogs ?? []));
    app.supervisor.onRunEnd((run) => this.ended(run.id));
  }

  /** Every write still on its way (waited for before the database closes). */
  async idle(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  private started(runId: string, names: string[]): void {
    const logs = this.app.agent.config.logs;
    const sources = names.flatMap((name) => logs.filter((l) => l.name === name));
    if (sources.length === 0) return;
    const windows = sources.map((l) => ({ source: l.name, from: endCursorNow(l.path), to: null }));
    const stored = this.store(runId, windows);
    this.open.set(runId, { paths: sources.map((l) => l.path), windows, stored });
  }

  private ended(runId: string): void {
    const o = this.open.get(runId);
    if (!o) return;
    this.open.delete(runId);
    const windows = o.windows.map((w, i) => ({ ...w, to: endCursorNow(o.paths[i]) }));
    // after the start's write: the end's must be the last one stored
    this.track(o.stored.then(() => this.store(runId, windows)));
  }

  private store(runId: string, watchedLogs: WatchedLogWindow[]): Promise<void> {
    const p = this.app.orm.em
      .fork()
      .nativeUpdate(CommandRun, { id: runId }, { watchedLogs })
      .then(
        () => undefined,
        (err: unknown) =>
          this.app.log.error('could not store a run’s log window', {
            runId,
            reason: (err as Error).message,
          }),
      );
    return this.track(p);
  }

  private track(p: Promise<void>): Promise<void> {
    this.writes.add(p);
    void p.finally(() => this.writes.delete(p));
    return p;
  }
}

/**
 * A run its dead server never ended (recovery made it INTERRUPTED) still has open windows: they
 * close at the logs' end now, so the run page shows a fixed window (up to the recovery, which
 * includes what was logged around the crash) instead of following the logs forever.
 */
export async function closeOpenWindows(app: AppServices, runId: string): Promise<void> {
  const em = app.orm.em.fork();
  const run = await em.findOne(CommandRun, { id: runId }, { fields: ['watchedLogs'] });
  const windows = run?.watchedLogs;
  if (!windows?.some((w) => w.to === null)) return;
  const logs = app.agent.config.logs;
  const closed = windows.map((w) => {
    if (w.to !== null) return w;
    const path = logs.find((l) => l.name === w.source)?.path;
    return { ...w, to: path ? endCursorNow(path) : null };
  });
  await em.nativeUpdate(CommandRun, { id: runId }, { watchedLogs: closed });
}
