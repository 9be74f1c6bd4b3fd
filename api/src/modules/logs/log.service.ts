// Log sources from agent.yaml, read through the viewer's role: listing, paging back, tailing.
import type { LogSourceSpec } from '../../config/agent-config.js';
import type { Context } from '../../context.js';
import { BadUserInputError, NotFoundError } from '../../errors.js';
import { requireViewer } from '../auth/guards.js';
import type { LineQueryArgs } from './log.query.js';
import type { Viewer } from '../auth/viewer.js';
import { decodeCursor } from './log.cursor.js';
import { toLogLine, type LogEvent, type LogLineView } from './log.event.js';
import { statLog } from './log.file.js';
import { compileFilter } from './log.filter.js';
import type { SubscribeStart } from './log.hub.js';
import { lineCount, linePage, MAX_LINES, timeRange } from './log.query.js';
import { readRange } from './log.range.js';
import { Stream } from '../../realtime/stream.js';

export { MAX_LINES };

export interface LogSourceView {
  name: string;
  exists: boolean;
  sizeBytes: number | null;
}

export function mayRead(viewer: Viewer, spec: LogSourceSpec): boolean {
  return viewer.role === 'ADMIN' || spec.roles.includes('user');
}

/** A source that is not configured, may not be read, or was never a name (a path) answers alike. */
function findSource(ctx: Context, name: string): LogSourceSpec {
  return readableSource(requireViewer(ctx), ctx.app.agent.config.logs, name);
}

export function readableSource(viewer: Viewer, logs: LogSourceSpec[], name: string): LogSourceSpec {
  const spec = logs.find((l) => l.name === name);
  if (!spec || !mayRead(viewer, spec))
    throw new NotFoundError(`The log source "${name.slice(0, 64)}"`);
  return spec;
}

export async function listLogSources(ctx: Context): Promise<LogSourceView[]> {
  const viewer = requireViewer(ctx);
  const visible = ctx.app.agent.config.logs.filter((l) => mayRead(viewer, l));
  return Promise.all(
    visible.map(async (l) => {
      // a symlink planted at the path or among its folders is never followed: it counts as missing
      const st = await statLog(l.path);
      return { name: l.name, exists: st !== null, sizeBytes: st?.size ?? null };
    }),
  );
}

export interface LogLinesArgs extends LineQueryArgs {
  source: string;
  filter?: string | null;
}

/**
 * The last `last` lines (matching `filter`) before cursor `before`, or the first `first` after
 * `after`; within [since, until) when given. Oldest first.
 */
export async function logLines(ctx: Context, args: LogLinesArgs): Promise<LogLineView[]> {
  const spec = findSource(ctx, args.source);
  const page = linePage(args);
  const range = timeRange(args);
  const filter = compileFilter(args.filter);
  const lines = await readRange(spec.path, range, page, {
    filter,
    onRefused: ctx.app.logHub.onRefused,
    signal: ctx.signal,
  });
  return lines.map(toLogLine);
}

export interface LogTailArgs {
  source: string;
  backfill?: number | null;
  after?: string | null;
  filter?: string | null;
  since?: Date | null;
}

/** Validates everything before the stream starts, so a bad argument is an error, not an empty stream. */
export async function logTail(
  ctx: Context,
  args: LogTailArgs,
): Promise<AsyncIterableIterator<LogLineView>> {
  const spec = findSource(ctx, args.source);
  const backfill = lineCount(args.backfill ?? 0, 'backfill');
  if (args.after && backfill > 0)
    throw new BadUserInputError('Give either backfill or after, not both.');
  if (args.after && args.since)
    throw new BadUserInputError('Give either since or after, not both.');
  const { since } = timeRange({ since: args.since });
  // since: the latest lines from then (backfill, else 5000, at most), then live
  const startAt: SubscribeStart = args.after
    ? { after: decodeCursor(args.after) }
    : since !== null
      ? { since, max: backfill || MAX_LINES }
      : backfill > 0
        ? { backfill }
        : 'end';
  return tail(ctx, spec, startAt, compileFilter(args.filter));
}

/**
 * The hub's events as LogLines, through the viewer's role: agent.yaml is re-checked when it
 * changes. A plain iterator rather than an async generator: it adds one step per line, not three.
 */
function tail(
  ctx: Context,
  spec: LogSourceSpec,
  startAt: SubscribeStart,
  filter: ReturnType<typeof compileFilter>,
): AsyncIterableIterator<LogLineView> {
  const { logHub, metrics } = ctx.app;
  const viewer = requireViewer(ctx);
  const sub = logHub.subscribe(spec.path, { startAt, filter, signal: ctx.signal });
  let config = ctx.app.agent.config;
  const step = (r: IteratorResult<LogEvent>): IteratorResult<LogLineView> => {
    if (r.done) return r;
    // agent.yaml is replaced as a whole on change: compare by identity, look up only then
    if (ctx.app.agent.config !== config) {
      config = ctx.app.agent.config;
      const now = config.logs.find((l) => l.name === spec.name);
      if (!now || !mayRead(viewer, now)) throw new NotFoundError(`The log source "${spec.name}"`);
      if (now.path !== spec.path) return { value: undefined, done: true }; // the name now means another file: the client re-subscribes
    }
    if (r.value.kind === 'LINE') metrics.logLinesStreamed.inc();
    return { value: viewOf(r.value), done: false };
  };
  // the stream's end, an error or the consumer's return() leave the hub
  return new Stream(
    () => sub.next().then(step),
    () => sub.return(),
  );
}

// live events are shared by every subscriber of a file: encode each one once, not once per subscriber
const views = new WeakMap<LogEvent, LogLineView>();
function viewOf(event: LogEvent): LogLineView {
  let view = views.get(event);
  if (!view) views.set(event, (view = toLogLine(event)));
  return view;
}
