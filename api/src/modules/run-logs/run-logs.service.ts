// A run's watched-log windows as the viewer may see them, and the lines inside one.
import type { Context } from '../../context.js';
import { requireViewer } from '../auth/guards.js';
import type { CommandRun } from '../commands/command-run.entity.js';
import { toLogLine, type LogLineView } from '../logs/log.event.js';
import { lineCount, mayRead } from '../logs/log.service.js';
import { windowLines } from './run-logs.window.js';

export interface RunLogWindowView {
  source: string;
  /** false: the source is no longer in agent.yaml (listed to admins only, without cursors) */
  readable: boolean;
  from: string | null;
  to: string | null;
  since: Date;
  until: Date | null;
  /** resolvers only, never exposed */
  path: string | null;
  plain: boolean;
}

/**
 * Windows of sources the viewer may read now; a source the viewer may not read is left out, as if
 * not watched (its name is not told). Admins also see sources removed from agent.yaml since.
 */
export function runLogWindows(ctx: Context, run: CommandRun): RunLogWindowView[] {
  const viewer = requireViewer(ctx);
  const logs = ctx.app.agent.config.logs;
  return (run.watchedLogs ?? []).flatMap((w): RunLogWindowView[] => {
    const spec = logs.find((l) => l.name === w.source);
    const times = { since: run.startedAt, until: run.finishedAt };
    if (!spec) {
      if (viewer.role !== 'ADMIN') return [];
      const gone = { from: null, to: null, path: null, plain: false };
      return [{ source: w.source, readable: false, ...times, ...gone }];
    }
    if (!mayRead(viewer, spec)) return [];
    const plain = spec.format === 'text';
    return [{ ...w, readable: true, ...times, path: spec.path, plain }];
  });
}

/** Up to `first` lines of the window, oldest first; while the run goes on, up to now. */
export async function runLogWindowLines(
  ctx: Context,
  w: RunLogWindowView,
  first: number,
): Promise<LogLineView[]> {
  if (!w.path) return [];
  const n = lineCount(first, 'first');
  const signal = ctx.signal ?? ctx.clientGone?.();
  const read = { from: w.from, to: w.to, since: w.since, first: n };
  const lines = await windowLines(w.path, read, { onRefused: ctx.app.logHub.onRefused, signal });
  return lines.map((line) => toLogLine(line, w.source, w.plain));
}
