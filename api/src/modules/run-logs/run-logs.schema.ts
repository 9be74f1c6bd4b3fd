import { builder } from '../../builder.js';
import { CommandRunRef } from '../commands/command.schema.js';
import { LogLineRef } from '../logs/log.schema.js';
import { runLogWindowLines, runLogWindows, type RunLogWindowView } from './run-logs.service.js';

const RunLogWindowRef = builder.objectRef<RunLogWindowView>('RunLogWindow').implement({
  description:
    'A watched log source (agent.yaml `watchLogs:`) during one run: cursors of the log’s end when the run started (`from`) and ended (`to`).',
  fields: (t) => ({
    source: t.exposeString('source'),
    readable: t.exposeBoolean('readable', {
      description: 'False: the source is no longer in agent.yaml (shown to admins only).',
    }),
    from: t.exposeString('from', {
      nullable: true,
      description:
        'Read from here: logLines(after:) / logTail(after:). Null when the file was missing at the start.',
    }),
    to: t.exposeString('to', {
      nullable: true,
      description: 'The log’s end when the run ended; null while it runs.',
    }),
    since: t.expose('since', { type: 'DateTime', description: 'The run’s start.' }),
    until: t.expose('until', { type: 'DateTime', nullable: true, description: 'The run’s end.' }),
    lines: t.field({
      type: [LogLineRef],
      description:
        'The lines written during the run (while it runs: up to now), oldest first, across rotations.',
      args: {
        first: t.arg.int({ defaultValue: 1000, description: 'At most this many (max 5000).' }),
      },
      resolve: (w, a, ctx) => runLogWindowLines(ctx, w, a.first ?? 1000),
    }),
  }),
});

builder.objectField(CommandRunRef, 'watchedLogs', (t) =>
  t.field({
    type: [RunLogWindowRef],
    description:
      'The run’s window in each log its command watched when it started, only sources you may read.',
    resolve: (run, _a, ctx) => runLogWindows(ctx, run),
  }),
);
