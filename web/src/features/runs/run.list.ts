// Keeping run lists current from commandRunUpdated events. Pure.

interface RunLike {
  id: string;
  status: string;
  startedAt: string;
}

/** Replaces the run if present, else adds it; newest first; at most `limit`. */
export function upsertRun<T extends RunLike>(list: readonly T[], run: T, limit = Infinity): T[] {
  const rest = list.filter((r) => r.id !== run.id);
  return [run, ...rest]
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
    .slice(0, limit);
}

/** The dashboard's two lists after one update: running ones stay in `running`, others leave it. */
export function applyRunUpdate<T extends RunLike>(
  running: readonly T[],
  recent: readonly T[],
  run: T,
  recentLimit = 10,
): { running: T[]; recent: T[] } {
  return {
    running:
      run.status === 'RUNNING' ? upsertRun(running, run) : running.filter((r) => r.id !== run.id),
    recent: upsertRun(recent, run, recentLimit),
  };
}
