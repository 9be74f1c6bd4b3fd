import { builder } from '../../builder.js';
import { SHARED_EVENTS } from '../../fast/index.js';
import { connectionOf } from '../../pagination/connection.schema.js';
import type { CommandArgSpec, CommandSpec } from '../../config/agent-config.js';
import { User } from '../users/user.entity.js';
import { UserRef } from '../users/user.schema.js';
import { CommandRun } from './command-run.entity.js';
import { RUN_STATUSES } from './run-status.js';
import {
  cancelRun,
  getRun,
  listCommands,
  listRuns,
  runCommand,
  storedOutput,
  runningCount,
} from './command.service.js';
import { commandOutput, commandRunUpdates } from './command.stream.js';
import type { LiveChunk } from './command.live-chunk.js';

const CommandArgTypeEnum = builder.enumType('CommandArgType', {
  values: ['STRING', 'INT', 'BOOLEAN', 'ENUM', 'PATH', 'FILE'] as const,
});
const RunStatusEnum = builder.enumType('RunStatus', { values: RUN_STATUSES });
export const RunTriggerEnum = builder.enumType('RunTrigger', {
  description: 'What started a run.',
  values: {
    MANUAL: { description: 'A person, or a script with their API token (`runCommand`).' },
    SCHEDULE: { description: "One of the command's `schedules` in agent.yaml." },
    WEBHOOK: { description: 'A signed request to `POST /hooks/<name>` (`hooks` in agent.yaml).' },
    LOG_PATTERN: { description: 'A log line matching a `triggers` pattern in agent.yaml.' },
  } as const,
});
const OutputStreamEnum = builder.enumType('OutputStream', {
  values: ['STDOUT', 'STDERR'] as const,
});

const CommandArgRef = builder.objectRef<CommandArgSpec>('CommandArg').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.field({ type: CommandArgTypeEnum, resolve: (a) => a.type.toUpperCase() as 'STRING' }),
    required: t.exposeBoolean('required'),
    description: t.string({ nullable: true, resolve: (a) => a.description ?? null }),
    default: t.string({ nullable: true, resolve: (a) => a.default ?? null }),
    choices: t.stringList({
      nullable: true,
      resolve: (a) => (a.type === 'enum' ? a.choices : null),
    }),
    pattern: t.string({
      nullable: true,
      resolve: (a) => (a.type === 'string' ? (a.pattern ?? null) : null),
    }),
    maxLength: t.int({
      nullable: true,
      resolve: (a) => (a.type === 'string' ? a.maxLength : null),
    }),
    min: t.int({ nullable: true, resolve: (a) => (a.type === 'int' ? (a.min ?? null) : null) }),
    max: t.int({ nullable: true, resolve: (a) => (a.type === 'int' ? (a.max ?? null) : null) }),
  }),
});

export const CommandRef = builder.objectRef<CommandSpec>('Command').implement({
  description: 'A command the operator allowed in agent.yaml.',
  fields: (t) => ({
    name: t.exposeString('name'),
    title: t.exposeString('title'),
    description: t.string({ nullable: true, resolve: (c) => c.description ?? null }),
    args: t.field({ type: [CommandArgRef], resolve: (c) => c.args }),
    timeoutSeconds: t.int({ resolve: (c) => c.timeout }),
    maxConcurrent: t.exposeInt('maxConcurrent'),
    running: t.int({
      description: 'Runs of this command in progress now.',
      resolve: (c, _a, ctx) => runningCount(ctx, c.name),
    }),
    group: t.string({
      nullable: true,
      description: 'The heading it is listed under; null lists it with the ungrouped ones, last.',
      resolve: (c) => c.group ?? null,
    }),
    icon: t.string({
      nullable: true,
      description: 'A built-in icon name (terminal, disk, clock, …) or one emoji.',
      resolve: (c) => c.icon ?? null,
    }),
    confirm: t.boolean({
      description: 'Clients should ask before running it (agent.yaml `confirm`).',
      resolve: (c) => c.confirm,
    }),
    confirmMessage: t.string({
      nullable: true,
      description: 'What to ask, when agent.yaml gave its own words.',
      resolve: (c) => c.confirmMessage ?? null,
    }),
  }),
});

const OutputChunkRef = builder.objectRef<LiveChunk>('OutputChunk').implement({
  fields: (t) => ({
    seq: t.exposeInt('seq', {
      description: 'Grows within a run; resume with afterSeq = the last seq received.',
    }),
    fromSeq: t.int({
      description:
        "The first seq this chunk covers (chunks may be joined): one more than the previous chunk's seq, else a gap.",
      resolve: (c) => c.from ?? c.seq,
    }),
    stream: t.field({ type: OutputStreamEnum, resolve: (c) => c.stream }),
    data: t.exposeString('data'),
    at: t.field({ type: 'DateTime', resolve: (c) => new Date(c.at) }),
  }),
});

export const CommandArgValueRef = builder
  .objectRef<{ name: string; value: string }>('CommandArgValue')
  .implement({
    description: 'One argument as the caller gave it.',
    fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value') }),
  });

export const CommandRunRef = builder.objectType(CommandRun, {
  name: 'CommandRun',
  fields: (t) => ({
    id: t.exposeID('id'),
    commandName: t.exposeString('commandName'),
    argv: t.exposeStringList('argv', { description: 'Exactly what was executed (no shell).' }),
    args: t.field({
      type: [CommandArgValueRef],
      description:
        'The arguments the run was started with, as given (defaults not repeated); empty for runs from before they were kept.',
      resolve: (r) => r.args ?? [],
    }),
    status: t.field({ type: RunStatusEnum, resolve: (r) => r.status }),
    exitCode: t.exposeInt('exitCode', { nullable: true }),
    signal: t.exposeString('signal', { nullable: true }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why the program could not start or was interrupted.',
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    trigger: t.field({ type: RunTriggerEnum, resolve: (r) => r.trigger }),
    triggerName: t.exposeString('triggerName', {
      nullable: true,
      description:
        'Which schedule (its id), hook or log trigger (its name) started the run; null for a manual run.',
    }),
    startedBy: t.field({
      type: UserRef,
      description:
        'Who asked for the run; runs started by a schedule, a hook or a log trigger show the built-in `@automation` account.',
      resolve: (r, _a, ctx) => ctx.em.findOneOrFail(User, { id: r.startedById }),
    }),
    outputBytes: t.exposeInt('outputBytes'),
    outputTruncated: t.exposeBoolean('outputTruncated'),
    output: t.field({
      type: [OutputChunkRef],
      args: {
        afterSeq: t.arg.int({ description: 'Chunks after this seq (default 0).' }),
        first: t.arg.int({ description: 'At most this many (default 200, max 500).' }),
      },
      resolve: (r, a, ctx) =>
        storedOutput(ctx, r.id, a.afterSeq ?? 0, Math.min(Math.max(a.first ?? 200, 1), 500)),
    }),
  }),
});

const CommandRunConnectionRef = connectionOf('CommandRun', CommandRunRef);

const CommandArgInput = builder.inputType('CommandArgInput', {
  fields: (t) => ({ name: t.string({ required: true }), value: t.string({ required: true }) }),
});

builder.queryField('commands', (t) =>
  t.field({
    type: [CommandRef],
    description: 'Only the commands your role may run.',
    resolve: (_r, _a, ctx) => listCommands(ctx),
  }),
);

builder.queryField('commandRuns', (t) =>
  t.field({
    type: CommandRunConnectionRef,
    description:
      'Newest first. USER sees their own runs, ADMIN every run. `since` and `until` bound `startedAt` and are both included; `first` is at most 100.',
    args: {
      first: t.arg.int({ defaultValue: 20 }),
      after: t.arg.string(),
      command: t.arg.string(),
      status: t.arg({ type: RunStatusEnum }),
      trigger: t.arg({ type: RunTriggerEnum, description: 'Only runs started this way.' }),
      startedBy: t.arg.id({
        description: 'Only runs started by this user id (a USER finds only their own).',
      }),
      since: t.arg({ type: 'DateTime', description: 'Only runs started at or after this.' }),
      until: t.arg({ type: 'DateTime', description: 'Only runs started at or before this.' }),
    },
    resolve: (_r, args, ctx) =>
      listRuns(ctx, {
        ...args,
        startedBy: args.startedBy == null ? null : String(args.startedBy),
      }),
  }),
);

builder.queryField('commandRun', (t) =>
  t.field({
    type: CommandRunRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => getRun(ctx, String(a.id)),
  }),
);

builder.mutationField('runCommand', (t) =>
  t.field({
    type: CommandRunRef,
    args: { name: t.arg.string({ required: true }), args: t.arg({ type: [CommandArgInput] }) },
    resolve: (_r, args, ctx) => runCommand(ctx, args),
  }),
);

builder.mutationField('cancelCommandRun', (t) =>
  t.field({
    type: CommandRunRef,
    description:
      'Stops the run (SIGTERM to its process group, SIGKILL 5 s later) and answers with its final status once it has ended; still RUNNING if it has not ended within 6 s (its commandOutput stream completes when it does).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => cancelRun(ctx, String(a.id)),
  }),
);

builder.subscriptionField('commandOutput', (t) =>
  t.field({
    type: OutputChunkRef,
    description:
      'Stored chunks after afterSeq, then live ones; completes once the run has ended and everything was sent.',
    args: { runId: t.arg.id({ required: true }), afterSeq: t.arg.int() },
    subscribe: (_r, a, ctx) => commandOutput(ctx, String(a.runId), a.afterSeq ?? 0),
    resolve: (chunk) => chunk,
    extensions: SHARED_EVENTS, // live chunks are the same objects for every subscriber of a run
  }),
);

builder.subscriptionField('commandRunUpdated', (t) =>
  t.field({
    type: CommandRunRef,
    description: 'Status changes of runs you may see.',
    subscribe: (_r, _a, ctx) => commandRunUpdates(ctx),
    resolve: (run) => run,
  }),
);
