import type { TriggerSpec } from '../../config/agent-config.types.js';
import { builder } from '../../builder.js';
import { CommandArgValueRef, CommandRunRef } from '../commands/command.schema.js';
import { TriggerFiring } from './trigger.firing.entity.js';
import { firingRun, lastFiredAt, listFirings, listTriggers } from './trigger.service.js';

const TriggerFiringRef = builder.objectType(TriggerFiring, {
  name: 'TriggerFiring',
  description: 'One time a log-pattern trigger fired.',
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('firedAt', { type: 'DateTime' }),
    line: t.exposeString('line', { description: 'The matching line (its first 4 KiB).' }),
    cursor: t.exposeString('cursor', {
      description:
        "The line's log cursor: `logLines(source, before: cursor)` shows the lines that led to it.",
    }),
    run: t.field({
      type: CommandRunRef,
      nullable: true,
      description: 'The run it started; null when it runs no command, or the command was refused.',
      resolve: (f, _a, ctx) => firingRun(ctx, f),
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why its command did not start (refused arguments, a limit), in words.',
    }),
  }),
});

const LogTriggerRef = builder.objectRef<TriggerSpec>('LogTrigger').implement({
  description:
    'agent.yaml `triggers:`: a log line matching `pattern` runs a command and/or notifies.',
  fields: (t) => ({
    name: t.exposeString('name'),
    source: t.exposeString('source', { description: 'The `logs:` source it follows.' }),
    pattern: t.exposeString('pattern', { description: 'The log filter syntax: text, or /regex/.' }),
    cooldownSeconds: t.exposeInt('cooldownSeconds', {
      description: 'After a firing, matches are ignored this long.',
    }),
    command: t.string({ nullable: true, resolve: (s) => s.run?.command ?? null }),
    args: t.field({
      type: [CommandArgValueRef],
      description: 'As written: `{{name}}` takes the named capture of the matching line.',
      resolve: (s) => s.run?.args ?? [],
    }),
    notify: t.exposeStringList('notify', { description: '`notify:` targets told of each firing.' }),
    lastFiredAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (s, _a, ctx) => lastFiredAt(ctx, s.name),
    }),
    firings: t.field({
      type: [TriggerFiringRef],
      description: 'Newest first; `first` is at most 100.',
      args: { first: t.arg.int({ defaultValue: 10 }) },
      resolve: (s, a, ctx) => listFirings(ctx, s.name, a.first ?? 10),
    }),
  }),
});

builder.queryField('logTriggers', (t) =>
  t.field({
    type: [LogTriggerRef],
    description: 'ADMIN. The log-pattern triggers of agent.yaml, in its order.',
    resolve: (_r, _a, ctx) => listTriggers(ctx),
  }),
);
