// Log sources from agent.yaml, read through the viewer's role: listing, paging back, tailing.
import type { AgentConfig, LogSourceSpec } from '../../config/agent-config.js';
import type { Context } from '../../context.js';
import { BadUserInputError, NotFoundError } from '../../errors.js';
import { requireViewer } from '../auth/guards.js';
import type { LineQueryArgs } from './log.query.js';
import type { Viewer } from '../auth/viewer.js';
import { decodeCursor } from './log.cursor.js';
import { toLogLine, type LogEvent, type LogLineView } from './log.event.js';
import { statLog } from './log.file.js';
import { compileFilter, type LineFilter } from './log.filter.js';
import { effectiveFormat, type LogFormat } from './log.format.js';
import { listHistory } from './log.history.js';
import type { SubscribeStart } from './log.hub.js';
import { jsonLine, type JsonLine } from './log.json.js';
import { lineCount, linePage, MAX_LINES, timeRange } from './log.query.js';
import { readRange } from './log.range.js';
import { readBack } from './log.walk.js';
import { bothFilters, compileWhere } from './log.where.js';
import { Stream } from '../../realtime/stream.js';

export { lineCount, MAX_LINES };

export interface LogSourceView {
  name: string;
  exists: boolean;
  sizeBytes: number | null;
  format: LogFormat;
  /** The configured (canonical) path: resolvers only, never exposed. */
  path: string;
}

export interface LogFileView {
  name: string;
  sizeBytes: number;
  compressed: boolean;
  modifiedAt: Date;
}

export function mayRead(viewer: Viewer, spec: LogSourceSpec): boolean {
  return viewer.role === 'ADMIN' || spec.roles.includes('user');
}

/** A source that is not configured, may not be read, or was never a name (a path) answers alike. */
export function findSource(ctx: Context, name: string): LogSourceSpec {
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
      const format = await effectiveFormat(l, ctx.app.logHub.onRefused);
      return {
        name: l.name,
        exists: st !== null,
        sizeBytes: st?.size ?? null,
        format,
        path: l.path,
      };
    }),
  );
}

/** The source's history, newest first (the viewer's role was checked when the source was listed). */
export async function logFiles(source: LogSourceView): Promise<LogFileView[]> {
  const files = await listHistory(source.path);
  return files.map((f) => ({
    name: f.name,
    sizeBytes: f.size,
    compressed: f.compressed,
    modifiedAt: new Date(f.mtimeMs),
  }));
}

export interface LogLinesArgs extends LineQueryArgs {
  source: string;
  filter?: string | null;
  where?: string | null;
}

/** `filter` and `where` as one LineFilter; `where` needs a source that may hold JSON. */
export function lineFilter(
  spec: LogSourceSpec,
  args: { filter?: string | null; where?: string | null },
) {
  const text = compileFilter(args.filter);
  if (spec.format === 'text' && args.where?.trim())
    throw new BadUserInputError(
      `The log source "${spec.name}" is set to format: text in agent.yaml, so it has no fields: use filter instead of where.`,
      { argument: 'where' },
    );
  return bothFilters(text, compileWhere(args.where));
}

/**
 * The last `last` lines (matching `filter`) before cursor `before`, or the first `first` after
 * `after`; within [since, until) when given. Oldest first.
 */
export async function logLines(ctx: Context, args: LogLinesArgs): Promise<LogLineView[]> {
  const spec = findSource(ctx, args.source);
  const page = linePage(args);
  const range = timeRange(args);
  const read = {
    filter: lineFilter(spec, args),
    onRefused: ctx.app.logHub.onRefused,
    // queries carry no ctx.signal (only streams pay for one): over HTTP, the connection's end
    signal: ctx.signal ?? ctx.clientGone?.(),
  };
  // paging back with no time range walks the rotated files too
  const lines =
    page.direction === 'back' && range.since === null && range.until === null
      ? await readBack(spec.path, page.n, { ...read, before: page.before })
      : await readRange(spec.path, range, page, read);
  const plain = spec.format === 'text';
  return lines.map((line) => toLogLine(line, spec.name, plain));
}

export interface LogTailArgs {
  source: string;
  backfill?: number | null;
  after?: string | null;
  filter?: string | null;
  where?: string | null;
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
  return tail(ctx, spec, startAt, lineFilter(spec, args));
}

/**
 * The hub's events as LogLines, through the viewer's role: agent.yaml is re-checked when it
 * changes. A plain iterator rather than an async generator: it adds one step per line, not three.
 */
function tail(
  ctx: Context,
  spec: LogSourceSpec,
  startAt: SubscribeStart,
  filter: LineFilter | null,
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
      if (!stillSame(config, viewer, spec)) return { value: undefined, done: true }; // the name now means another file: the client re-subscribes
    }
    if (r.value.kind === 'LINE') metrics.logLinesStreamed.inc();
    return { value: viewOf(r.value, spec), done: false };
  };
  // the stream's end, an error or the consumer's return() leave the hub
  return new Stream(
    () => sub.next().then(step),
    () => sub.return(),
  );
}

/**
 * After an agent.yaml change: throws NOT_FOUND once the viewer may no longer read the source,
 * false when its name now means another file, true when nothing changed for it.
 */
export function stillSame(config: AgentConfig, viewer: Viewer, spec: LogSourceSpec): boolean {
  const now = config.logs.find((l) => l.name === spec.name);
  if (!now || !mayRead(viewer, now)) throw new NotFoundError(`The log source "${spec.name}"`);
  return now.path === spec.path;
}

// live events are shared by every subscriber of a file: encode each one once, not once per subscriber
const views = new WeakMap<LogEvent, LogLineView>();
// the rare case of two sources naming one file: a view per source name, so each is tagged right
const otherViews = new WeakMap<LogEvent, Map<string, LogLineView>>();

/** The shared LogLine of a live event, as seen through the source `spec`. */
export function viewOf(event: LogEvent, spec: Pick<LogSourceSpec, 'name' | 'format'>): LogLineView {
  const plain = spec.format === 'text';
  const view = views.get(event);
  if (!view) {
    const first = toLogLine(event, spec.name, plain);
    views.set(event, first);
    return first;
  }
  if (view.source === spec.name) return view;
  let bySource = otherViews.get(event);
  if (!bySource) otherViews.set(event, (bySource = new Map()));
  let other = bySource.get(spec.name);
  if (!other) bySource.set(spec.name, (other = toLogLine(event, spec.name, plain)));
  return other;
}

// per view: a live line's level, message and fields resolve once for every subscriber and document
const parsed = new WeakMap<LogLineView, JsonLine | null>();
/** The line read as a JSON object, or null (not one, not a line, or a `format: text` source). */
export function jsonOf(line: LogLineView): JsonLine | null {
  if (line.plain || line.kind !== 'LINE') return null;
  let json = parsed.get(line);
  if (json === undefined) parsed.set(line, (json = jsonLine(line.text)));
  return json;
}
