// Several log sources tailed as one stream: every line tagged with its source, live lines by arrival.
import type { LogSourceSpec } from '../../config/agent-config.js';
import type { Context } from '../../context.js';
import { BadUserInputError } from '../../errors.js';
import { Stream } from '../../realtime/stream.js';
import { requireViewer } from '../auth/guards.js';
import { decodeCursor, type LogCursor } from './log.cursor.js';
import { toLogLine, type LogEvent, type LogLineView } from './log.event.js';
import { compileFilter, type LineFilter } from './log.filter.js';
import type { LogSubscription, SubscribeStart } from './log.hub.js';
import { mergeHistories } from './log.merge-order.js';
import { findSource, lineCount, stillSame, viewOf } from './log.service.js';

/** Most sources one merged tail may follow: each holds a hub subscription (a follower at most). */
export const MAX_MERGED_SOURCES = 10;

export interface LogSourceCursorInput {
  source: string;
  cursor: string;
}

export interface LogTailMergedArgs {
  sources: string[];
  backfill?: number | null;
  filter?: string | null;
  after?: LogSourceCursorInput[] | null;
}

/**
 * Validates everything before the stream starts. Every source must exist and be readable, else
 * NOT_FOUND naming the first one that is not, in logTail's words. Sources with a cursor in
 * `after` resume after it; the others start with their last `backfill` lines (0: live only).
 */
export async function logTailMerged(
  ctx: Context,
  args: LogTailMergedArgs,
): Promise<AsyncIterableIterator<LogLineView>> {
  requireViewer(ctx);
  const names = args.sources;
  if (names.length < 1 || names.length > MAX_MERGED_SOURCES)
    throw new BadUserInputError(`sources must name 1 to ${MAX_MERGED_SOURCES} log sources.`, {
      argument: 'sources',
      max: MAX_MERGED_SOURCES,
    });
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined)
    throw new BadUserInputError(`sources names "${twice.slice(0, 64)}" twice; name each once.`);
  const specs = names.map((name) => findSource(ctx, name));
  const backfill = lineCount(args.backfill ?? 0, 'backfill');
  const after = new Map<string, LogCursor>();
  for (const a of (args.after ?? []).slice(0, MAX_MERGED_SOURCES + 1)) {
    if (!names.includes(a.source) || after.has(a.source))
      throw new BadUserInputError(
        `after must give at most one cursor for each of the sources; "${a.source.slice(0, 64)}" is not one or comes twice.`,
      );
    after.set(a.source, decodeCursor(a.cursor));
  }
  const filter = compileFilter(args.filter);
  const plans = specs.map((spec): Plan => {
    const cursor = after.get(spec.name);
    const startAt: SubscribeStart = cursor
      ? { after: cursor }
      : backfill > 0
        ? { backfill }
        : 'end';
    return { spec, startAt };
  });
  return mergedTail(ctx, plans, filter);
}

interface Plan {
  spec: LogSourceSpec;
  startAt: SubscribeStart;
}

interface Part extends Plan {
  sub: LogSubscription;
  /** a backfill still being gathered: it is sent merged by time once every source's is in */
  gathering: boolean;
  history: LogEvent[];
}

type Arrival = { part: Part; event: LogEvent };

/**
 * One hub subscription per source, each with its own queue (so a slow client gets DROPPED per
 * source). At most one event per source waits here, in arrival order: a busy source is served in
 * turn with the others and cannot starve them.
 */
function mergedTail(
  ctx: Context,
  plans: Plan[],
  filter: LineFilter | null,
): AsyncIterableIterator<LogLineView> {
  const { logHub, metrics } = ctx.app;
  const viewer = requireViewer(ctx);
  let config = ctx.app.agent.config;
  const arrived: Arrival[] = [];
  let backlog: LogLineView[] = []; // the merged backfill, sent before any live line
  let sent = 0;
  let gathering = 0;
  let end: { error: unknown } | 'done' | null = null; // a source ended or failed: so does the whole
  let waiting: (() => void) | null = null;
  let started = false;
  const wake = (): void => {
    const w = waiting;
    waiting = null;
    w?.();
  };

  const parts: Part[] = plans.map((plan) => {
    const gather = 'backfill' in Object(plan.startAt);
    if (gather) gathering++;
    const part: Part = { ...plan, sub: null!, gathering: gather, history: [] };
    part.sub = logHub.subscribe(plan.spec.path, {
      startAt: plan.startAt,
      filter,
      signal: ctx.signal,
      onLive: () => {
        if (!part.gathering) return;
        part.gathering = false;
        if (--gathering === 0) mergeBackfill();
      },
    });
    return part;
  });

  function mergeBackfill(): void {
    const lists = parts.map((p) => p.history.map((event): Arrival => ({ part: p, event })));
    backlog = mergeHistories(lists, (a) => a.event).map((a) =>
      toLogLine(a.event, a.part.spec.name, a.part.spec.format === 'text'),
    );
    for (const p of parts) p.history = [];
    wake();
  }

  // one next() in flight per source; what it brings waits in `arrived` until the client pulls it
  function request(part: Part): void {
    part.sub.next().then(
      (r) => {
        if (r.done) end ??= 'done';
        else if (part.gathering) {
          part.history.push(r.value);
          return request(part);
        } else arrived.push({ part, event: r.value });
        wake();
      },
      (error: unknown) => {
        end ??= { error };
        wake();
      },
    );
  }

  const deliver = (view: LogLineView): IteratorResult<LogLineView, undefined> => {
    // agent.yaml is replaced as a whole on change: compare by identity, look every source up only then
    if (ctx.app.agent.config !== config) {
      config = ctx.app.agent.config;
      // NOT_FOUND (thrown) ends it all, as logTail does; a name now meaning another file completes it
      if (!parts.every((p) => stillSame(config, viewer, p.spec)))
        return { value: undefined, done: true };
    }
    if (view.kind === 'LINE') metrics.logLinesStreamed.inc();
    return { value: view, done: false };
  };

  const pull = ():
    IteratorResult<LogLineView, undefined> | Promise<IteratorResult<LogLineView, undefined>> => {
    if (!started) {
      started = true;
      for (const p of parts) request(p);
    }
    if (end === 'done') return { value: undefined, done: true };
    if (end) throw end.error;
    if (gathering > 0) return new Promise<void>((r) => (waiting = r)).then(pull);
    if (sent < backlog.length) {
      const view = backlog[sent++]!;
      if (sent === backlog.length) [backlog, sent] = [[], 0];
      return deliver(view);
    }
    const next = arrived.shift();
    if (!next) return new Promise<void>((r) => (waiting = r)).then(pull);
    request(next.part);
    return deliver(viewOf(next.event, next.part.spec));
  };

  return new Stream(pull, async () => {
    end ??= 'done';
    wake();
    await Promise.all(parts.map((p) => p.sub.return()));
  });
}
