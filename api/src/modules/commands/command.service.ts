import type { EntityManager } from '@mikro-orm/core';
import { admitShared, runningShared } from '../../cluster/run.admission.js';
import type { AppServices, Context } from '../../context.js';
import type { CommandSpec } from '../../config/agent-config.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../errors.js';
import { newestFirst, type Page } from '../../pagination/keyset.js';
import type { PubSub } from '../../realtime/pubsub.js';
import { requestApproval } from '../approval/approval.request.js';
import { mayDecide } from '../approval/approval.rules.js';
import { withdrawRun } from '../approval/approval.withdraw.js';
import { auditAs } from '../audit/audit.service.js';
import { requireViewer } from '../auth/guards.js';
import type { Viewer } from '../auth/viewer.js';
import { RunFileCopies } from '../files/file.run-copy.js';
import { resolveFileForCommand } from '../files/file.service.js';
import {
  CommandRun,
  MANUAL,
  type RunOrigin,
  type RunStatus,
  type RunTrigger,
} from './command-run.entity.js';
import { resolveArgv, type CommandArgInput } from './command.args.js';
import type { LiveChunk } from './command.live-chunk.js';
import type { ReadPosition } from './output.store.js';

export function mayRun(viewer: Viewer, spec: CommandSpec): boolean {
  return viewer.role === 'ADMIN' || spec.roles.includes('user');
}

type Seen = Pick<CommandRun, 'startedById'> &
  Partial<Pick<CommandRun, 'status' | 'commandName' | 'approvedById' | 'rejectedById'>>;

/**
 * ADMIN sees every run, USER their own; with `commands`, a USER approver also sees the runs they
 * may decide (pending, of a command whose approvers include `user`) and those they decided.
 */
export function runVisible(viewer: Viewer, run: Seen, commands?: readonly CommandSpec[]): boolean {
  if (viewer.role === 'ADMIN' || run.startedById === viewer.userId) return true;
  if (!commands || run.status === undefined || run.commandName === undefined) return false;
  if (run.approvedById === viewer.userId || run.rejectedById === viewer.userId) return true;
  return mayDecide(viewer, { ...run, status: run.status, commandName: run.commandName }, commands);
}

export function listCommands(ctx: Context): CommandSpec[] {
  const viewer = requireViewer(ctx);
  return ctx.app.agent.config.commands.filter((c) => mayRun(viewer, c));
}

function findCommand(ctx: Context, name: string): CommandSpec {
  const viewer = requireViewer(ctx);
  const spec = ctx.app.agent.config.commands.find((c) => c.name === name);
  // a command the viewer may not run answers exactly like one that does not exist
  if (!spec || !mayRun(viewer, spec)) throw new NotFoundError(`The command "${name.slice(0, 64)}"`);
  return spec;
}

export async function runCommand(
  ctx: Context,
  args: { name: string; args?: readonly CommandArgInput[] | null },
  origin: RunOrigin = MANUAL,
): Promise<CommandRun> {
  const viewer = requireViewer(ctx);
  const spec = findCommand(ctx, args.name);
  // bucket-stored file arguments are copied out for the run; the copies go when its slot does
  const copies = new RunFileCopies();
  const argv = await copies.during(
    resolveArgv(spec, args.args ?? [], {
      resolveFile: (id) => resolveFileForCommand(ctx, id, copies),
    }),
  );
  // nothing starts, no slot is taken: a second person decides (approval.service.ts)
  if (spec.approval) return requestApproval(ctx, spec, argv, args.args ?? [], origin);
  const { supervisor, agent, pubsub, log, instance } = ctx.app;
  const maxRunning = agent.config.limits.maxRunning;
  // a shared database counts every instance's runs (below); one instance counts in memory
  const slot = copies.until(supervisor.admit(spec, maxRunning, !instance.shared));
  if (typeof slot === 'string') throw new ConflictError(slot);
  try {
    const create = (em: EntityManager) =>
      em.create(CommandRun, {
        commandName: spec.name,
        argv,
        // checked by resolveArgv above: declared names only, each once, each value within its bounds
        args: (args.args ?? []).map(({ name, value }) => ({ name, value })),
        startedById: viewer.userId,
        ownerId: instance.id,
        trigger: origin.trigger,
        triggerName: origin.name,
      } as CommandRun);
    let run: CommandRun;
    if (instance.shared) {
      const admitted = await admitShared(ctx.em, spec, maxRunning, create);
      if (typeof admitted === 'string') throw new ConflictError(admitted);
      run = admitted;
    } else {
      run = create(ctx.em);
      await ctx.em.flush();
    }
    supervisor.start(run, spec, slot);
    pubsub.publish('runUpdated', { runId: run.id, startedById: run.startedById });
    const by = origin.trigger === 'MANUAL' ? {} : { trigger: origin.trigger, via: origin.name };
    log.info('run started', { runId: run.id, command: spec.name, by: viewer.userId, ...by });
    await auditAs(ctx, 'RUN_STARTED', {
      target: run.id,
      detail: { command: spec.name, argv, ...by },
    });
    return run;
  } catch (err) {
    slot.release();
    throw err;
  }
}

/** Runs of a command in progress now: on every instance when they share a database. */
export function runningCount(ctx: Context, commandName: string): number | Promise<number> {
  const { supervisor, instance } = ctx.app;
  return instance.shared ? runningShared(ctx.em, commandName) : supervisor.running(commandName);
}

export async function getRun(ctx: Context, id: string): Promise<CommandRun> {
  const viewer = requireViewer(ctx);
  const run = await ctx.em.findOne(CommandRun, { id });
  if (!run || !runVisible(viewer, run, ctx.app.agent.config.commands))
    throw new NotFoundError('That command run');
  return run;
}

// the runner's 5 s grace before SIGKILL, and a second to record the end (plus, with several
// instances, one heartbeat: the owner may learn of the cancel only from the database)
const CANCEL_WAIT_MS = 6000;
const CANCEL_POLL_MS = 200;

/**
 * Asks the run to stop and answers once it has (its final status), or after the wait still RUNNING.
 * A run still waiting for approval is withdrawn instead (CANCELLED at once, it never starts).
 */
export async function cancelRun(ctx: Context, id: string): Promise<CommandRun> {
  const { pubsub, log, config, orm, instance } = ctx.app;
  const waitMs = CANCEL_WAIT_MS + (instance.shared ? config.INSTANCE_HEARTBEAT_SECONDS * 1000 : 0);
  // listening before the status is read: an end between the read and the wait is not missed
  const ended = endOf(pubsub, id, waitMs, () =>
    orm.em
      .fork()
      .findOne(CommandRun, { id }, { fields: ['status'] })
      .then((r) => !r || r.status !== 'RUNNING'),
  );
  try {
    const run = await getRun(ctx, id);
    if (run.status === 'PENDING_APPROVAL') return await withdrawRun(ctx, run);
    if (run.status !== 'RUNNING')
      throw new ConflictError(`That run has already ended (${run.status}).`);
    // recorded first: the owner finds it on its next heartbeat even if the event below is lost
    const asked = await ctx.em.nativeUpdate(
      CommandRun,
      { id: run.id, status: 'RUNNING' },
      { cancelRequestedAt: new Date() },
    );
    if (!asked) {
      await ctx.em.refresh(run);
      throw new ConflictError(`That run has already ended (${run.status}).`);
    }
    // the fast way: the instance that runs it cancels it now (this one, or another through Redis)
    pubsub.publish('runCancel', { runId: run.id });
    log.info('run cancel requested', { runId: run.id, by: ctx.viewer!.userId });
    await auditAs(ctx, 'RUN_CANCELLED', {
      target: run.id,
      detail: { command: run.commandName, startedBy: run.startedById },
    });
    if (await ended.promise) await ctx.em.refresh(run);
    else log.warn('run has not stopped yet after a cancel', { runId: run.id, waitedMs: waitMs });
    return run;
  } finally {
    ended.stop();
  }
}

/**
 * True once the run's end is published (by whichever instance runs it) or seen in the database
 * (the event may be lost while Redis is down), false after `ms`.
 */
function endOf(
  pubsub: PubSub,
  runId: string,
  ms: number,
  endedInStore: () => Promise<boolean>,
): { promise: Promise<boolean>; stop(): void } {
  let settle: (ended: boolean) => void = () => {};
  let done = false;
  const promise = new Promise<boolean>((resolve) => (settle = resolve)).finally(
    () => (done = true),
  );
  const off = pubsub.on('runOutput', (event) => 'end' in event && settle(true), runId);
  const timer = setTimeout(() => settle(false), ms);
  const poll = async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, CANCEL_POLL_MS));
      if (!done && (await endedInStore().catch(() => false))) settle(true);
    }
  };
  void poll();
  return {
    promise,
    stop: () => {
      off();
      clearTimeout(timer);
      settle(false);
    },
  };
}

export interface RunsArgs {
  first?: number | null;
  after?: string | null;
  command?: string | null;
  status?: RunStatus | null;
  trigger?: RunTrigger | null;
  startedBy?: string | null;
  since?: Date | null;
  until?: Date | null;
}

const NAME_MAX = 64;
const ID_MAX = 64;
const CURSOR_MAX = 200;

/** Newest first, filtered by command, status, who started it and when (both ends included). */
export async function listRuns(ctx: Context, args: RunsArgs): Promise<Page<CommandRun>> {
  const viewer = requireViewer(ctx);
  if (args.command != null && args.command.length > NAME_MAX)
    throw new BadUserInputError('`command` is not a command name.', { field: 'command' });
  if (args.startedBy != null && args.startedBy.length > ID_MAX)
    throw new BadUserInputError('`startedBy` is not a user id.', { field: 'startedBy' });
  if (args.after != null && args.after.length > CURSOR_MAX)
    throw new BadUserInputError('The `after` cursor is not one this server gave out.');
  if (args.since && args.until && args.since > args.until)
    throw new BadUserInputError(
      '`since` is after `until`: give a time range that starts before it ends.',
      { field: 'since' },
    );
  // USER sees only their own runs: asking for someone else's finds nothing, as if there were none
  const startedBy = viewer.role === 'ADMIN' ? args.startedBy : viewer.userId;
  if (args.startedBy != null && startedBy !== args.startedBy)
    return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const where: Record<string, unknown> = {};
  if (startedBy != null) where.startedById = startedBy;
  if (args.command) where.commandName = args.command;
  if (args.status) where.status = args.status;
  if (args.trigger) where.trigger = args.trigger;
  if (args.since || args.until)
    where.startedAt = {
      ...(args.since ? { $gte: args.since } : {}),
      ...(args.until ? { $lte: args.until } : {}),
    };
  return newestFirst(ctx.em, CommandRun, where, 'startedAt', args);
}

// a page of stored output holds about this much (a GraphQL `output` page, a replay step)
const PAGE_BYTES = 1024 * 1024;

/**
 * A run's stored output read in seq order, a page at a time: from its file, then what is
 * published but not yet written. The file position is kept between pages of one reader.
 */
export class OutputPages {
  private at: ReadPosition | undefined;

  constructor(
    private readonly app: Pick<AppServices, 'outputStore' | 'supervisor'>,
    private readonly runId: string,
  ) {}

  async after(afterSeq: number, first: number, maxBytes = PAGE_BYTES): Promise<LiveChunk[]> {
    const limits = { maxChunks: first, maxBytes };
    const { chunks, next } = await this.app.outputStore.read(this.runId, afterSeq, limits, this.at);
    this.at = next;
    if (chunks.length < first) {
      // only pending chunks that continue the page: a batch written (and no longer pending) since
      // the file was read is read from the file next time, never skipped
      let last = chunks.length ? chunks[chunks.length - 1]!.seq : afterSeq;
      for (const c of this.app.supervisor.pendingAfter(this.runId, last)) {
        if (c.seq !== last + 1 || chunks.length >= first) break;
        chunks.push(c);
        last = c.seq;
      }
    }
    return chunks;
  }
}

/** Stored output after `afterSeq` (at most `first` chunks and about PAGE_BYTES of output). */
export function storedOutput(
  ctx: Pick<Context, 'app'>,
  runId: string,
  afterSeq: number,
  first: number,
): Promise<LiveChunk[]> {
  return new OutputPages(ctx.app, runId).after(afterSeq, first);
}
