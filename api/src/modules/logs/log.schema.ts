import { builder } from '../../builder.js';
import { SHARED_EVENTS } from '../../fast/index.js';
import { lineTime, type LogLineView } from './log.event.js';
import type { JsonField } from './log.json.js';
import { logTailMerged, MAX_MERGED_SOURCES } from './log.merged.js';
import {
  jsonOf,
  listLogSources,
  logFiles,
  logLines,
  logTail,
  type LogFileView,
  type LogSourceView,
} from './log.service.js';

const LogEventKindEnum = builder.enumType('LogEventKind', {
  values: {
    LINE: { description: 'A complete line of the file.' },
    ROTATED: {
      description:
        'The path now names another file (logrotate create, delete and re-create); reading goes on from its start.',
    },
    TRUNCATED: {
      description:
        'The file was cut short (logrotate copytruncate); reading goes on from its start.',
    },
    DROPPED: {
      description:
        "You fell behind: droppedCount lines, up to this cursor, were skipped. logLines(before: the next line's cursor, last: droppedCount) fetches them.",
    },
  } as const,
});

const LogFormatEnum = builder.enumType('LogFormat', {
  values: {
    TEXT: { description: 'Plain lines.' },
    JSON: { description: 'One JSON object per line: level, time, message and fields.' },
  } as const,
});

const LogFieldRef = builder.objectRef<JsonField>('LogField').implement({
  description:
    "A JSON line's key (nested keys joined with dots: req.method) and its value as text.",
  fields: (t) => ({
    name: t.exposeString('name'),
    value: t.exposeString('value', {
      description: 'Strings as they are, other values as JSON; cut after 4096 characters.',
    }),
  }),
});

const WHERE_DESCRIPTION =
  'JSON fields: conditions separated by spaces, all must hold (level>=warn status>=500 msg~"connection reset"); operators = != > >= < <= ~ (contains). Lines that are not JSON objects never match.';

const LogFileRef = builder.objectRef<LogFileView>('LogFile').implement({
  description: "One file of a log source's history: the current file or a rotated one.",
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'Its name in the folder: app.log, app.log.1, app.log.2.gz, app.log-20261206.',
    }),
    sizeBytes: t.exposeFloat('sizeBytes', {
      description: 'Bytes on disk (compressed size for a .gz).',
    }),
    compressed: t.exposeBoolean('compressed', { description: 'A .gz file, read decompressed.' }),
    modifiedAt: t.field({ type: 'DateTime', resolve: (f) => f.modifiedAt }),
  }),
});

const LogSourceRef = builder.objectRef<LogSourceView>('LogSource').implement({
  description: 'A log file the operator listed in agent.yaml and your role may read.',
  fields: (t) => ({
    name: t.exposeString('name'),
    exists: t.exposeBoolean('exists', {
      description: 'False while the file is missing (it is followed once it appears).',
    }),
    sizeBytes: t.exposeFloat('sizeBytes', {
      nullable: true,
      description: 'Bytes; null when the file is missing.',
    }),
    format: t.field({
      type: LogFormatEnum,
      description:
        "agent.yaml's format; for auto (the default), JSON when most of the file's last lines are JSON objects.",
      resolve: (s) => s.format,
    }),
    files: t.field({
      type: [LogFileRef],
      description:
        'The current file (if there) and its rotated files (at most 100), newest first: what logLines pages back through.',
      resolve: (source) => logFiles(source),
    }),
  }),
});

export const LogLineRef = builder.objectRef<LogLineView>('LogLine').implement({
  description: 'A line of a log file, or an event in its life (kind).',
  fields: (t) => ({
    source: t.exposeString('source', {
      description: 'The log source (its name in agent.yaml) the line comes from.',
    }),
    cursor: t.exposeString('cursor', {
      description: 'Opaque: pass it as logTail(after) to resume or logLines(before) to page back.',
    }),
    kind: t.field({ type: LogEventKindEnum, resolve: (l) => l.kind }),
    text: t.exposeString('text', {
      description: 'Plain text (invalid UTF-8 shown as U+FFFD); render it as text, never as HTML.',
    }),
    truncated: t.exposeBoolean('truncated', {
      description: 'The line was longer than 64 KiB and was cut.',
    }),
    time: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'LINE only: the time the line starts with (ISO-8601, syslog, journald, access log); null when it has none. Zone-less times are the server’s local time.',
      resolve: (l) => lineTime(l),
    }),
    droppedCount: t.exposeInt('droppedCount', {
      nullable: true,
      description: 'DROPPED only: how many lines were skipped.',
    }),
    level: t.string({
      nullable: true,
      description:
        "A JSON line's level (level, lvl or severity): pino numbers and aliases as trace, debug, info, warn, error, fatal.",
      resolve: (l) => jsonOf(l)?.level ?? null,
    }),
    message: t.string({
      nullable: true,
      description: "A JSON line's msg or message.",
      resolve: (l) => jsonOf(l)?.message ?? null,
    }),
    fields: t.field({
      type: [LogFieldRef],
      nullable: true,
      description:
        "A JSON line's other keys (at most 100); null when the line is not a JSON object or the source is format: text.",
      resolve: (l) => jsonOf(l)?.fields ?? null,
    }),
    file: t.exposeString('file', {
      nullable: true,
      description:
        'LINE only: the name of the file it was read from (app.log, app.log.1, app.log.2.gz), so a view can show where each file begins.',
    }),
  }),
});

builder.queryField('logSources', (t) =>
  t.field({
    type: [LogSourceRef],
    description: 'The log sources your role may read.',
    resolve: (_r, _a, ctx) => listLogSources(ctx),
  }),
);

builder.queryField('logLines', (t) =>
  t.field({
    type: [LogLineRef],
    description:
      'Oldest first. The last `last` lines (default 100, at most 5000), with `before` the page before that cursor; or the first `first` lines (at most 5000) after cursor `after`, or from `since`. `since`/`until` keep lines timed since <= time < until (an untimed line goes with the timed one before it).',
    args: {
      source: t.arg.string({ required: true }),
      last: t.arg.int({
        description: 'Page back: default 100 unless `first` or `after` is given.',
      }),
      before: t.arg.string(),
      first: t.arg.int({
        description: 'Page forward (default 100 with `after`); not with `last`.',
      }),
      after: t.arg.string({ description: 'A cursor: the lines after it; not with `before`.' }),
      filter: t.arg.string({ description: 'Plain text to contain, or /regex/ (optional i flag).' }),
      where: t.arg.string({ description: WHERE_DESCRIPTION }),
      since: t.arg({ type: 'DateTime', description: 'Lines timed at or after this.' }),
      until: t.arg({ type: 'DateTime', description: 'Lines timed before this.' }),
    },
    resolve: (_r, args, ctx) => logLines(ctx, args),
  }),
);

builder.subscriptionField('logTail', (t) =>
  t.field({
    type: LogLineRef,
    description:
      'The last `backfill` lines (at most 5000) or everything after cursor `after`, or the lines since `since` (the latest `backfill`, default 5000, if more), then live lines.',
    args: {
      source: t.arg.string({ required: true }),
      backfill: t.arg.int({ defaultValue: 0 }),
      after: t.arg.string(),
      filter: t.arg.string({ description: 'Plain text to contain, or /regex/ (optional i flag).' }),
      where: t.arg.string({ description: WHERE_DESCRIPTION }),
      since: t.arg({ type: 'DateTime', description: 'Backfill the lines timed at or after this.' }),
    },
    subscribe: (_r, args, ctx) => logTail(ctx, args),
    resolve: (line) => line,
    extensions: SHARED_EVENTS, // every subscriber of a file gets the same line objects
  }),
);

const LogSourceCursorInput = builder.inputType('LogSourceCursor', {
  description: 'Where one source of a merged tail resumes: the cursor of its last line received.',
  fields: (t) => ({
    source: t.string({ required: true }),
    cursor: t.string({ required: true }),
  }),
});

builder.subscriptionField('logTailMerged', (t) =>
  t.field({
    type: LogLineRef,
    description: `Several sources (1 to ${MAX_MERGED_SOURCES}) as one tail, each line tagged with its source: the last \`backfill\` lines of each (merged by their timestamps where lines have one), then live lines in the order they arrive. Every source must be readable, else NOT_FOUND.`,
    args: {
      sources: t.arg.stringList({ required: true }),
      backfill: t.arg.int({
        defaultValue: 0,
        description: 'Lines per source (at most 5000), for sources without a cursor in `after`.',
      }),
      filter: t.arg.string({
        description:
          'Plain text to contain, or /regex/ (optional i flag); applies to every source.',
      }),
      after: t.arg({
        type: [LogSourceCursorInput],
        description: 'Resume: each listed source continues after its own cursor.',
      }),
    },
    subscribe: (_r, args, ctx) => logTailMerged(ctx, args),
    resolve: (line) => line,
    extensions: SHARED_EVENTS, // live lines are the shared views of logTail, one per source name
  }),
);
