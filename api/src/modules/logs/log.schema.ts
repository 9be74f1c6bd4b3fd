import { builder } from '../../builder.js';
import { SHARED_EVENTS } from '../../fast/index.js';
import { lineTime, type LogLineView } from './log.event.js';
import { listLogSources, logLines, logTail, type LogSourceView } from './log.service.js';

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
  }),
});

const LogLineRef = builder.objectRef<LogLineView>('LogLine').implement({
  description: 'A line of a log file, or an event in its life (kind).',
  fields: (t) => ({
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
      since: t.arg({ type: 'DateTime', description: 'Backfill the lines timed at or after this.' }),
    },
    subscribe: (_r, args, ctx) => logTail(ctx, args),
    resolve: (line) => line,
    extensions: SHARED_EVENTS, // every subscriber of a file gets the same line objects
  }),
);
