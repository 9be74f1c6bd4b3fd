// The warning for a log path that now leads elsewhere: logged, but not once per retry (a follower
// retries every few hundred milliseconds while the path stays refused).
import type { Logger } from '../../logger.js';
import type { RefusalSink } from './log.file.js';

const MAX_PATHS = 1000; // paths come from agent.yaml; the bound only guards the map

/** A RefusalSink that warns at most once per `everyMs` for each path. */
export function refusalWarner(log: Logger, everyMs = 60_000): RefusalSink {
  const last = new Map<string, number>();
  return (path, reached) => {
    const now = Date.now();
    const before = last.get(path);
    if (before !== undefined && now - before < everyMs) return;
    if (last.size >= MAX_PATHS) last.clear();
    last.set(path, now);
    log.warn(
      'log path refused: a folder on it now leads elsewhere than when agent.yaml was loaded; served as missing',
      { path, reached },
    );
  };
}
