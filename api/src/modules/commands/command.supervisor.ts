import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { CommandSpec } from '../../config/agent-config.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { PubSub } from '../../realtime/pubsub.js';
import { cutUtf8 } from '../logs/log.lines.js';
import { CommandRun, type StreamName } from './command-run.entity.js';
import type { LiveChunk } from './command.live-chunk.js';
import { childEnv, startProcess, type ProcessHandle } from './command.runner.js';
import { OutputChecker } from './output.checks.js';
import { FrameBatch } from './output.frame.js';
import type { OutputStore, OutputWriter } from './output.store.js';

interface Active {
  run: CommandRun;
  spec: CommandSpec;
  handle: ProcessHandle;
  slot: { release(): void };
  /** the command's failOn/successOn/extract, fed every line (null: it has none) */
  checker: OutputChecker | null;
  /**
   * published but not yet written, encoded (the chunks' strings are not kept alive for the write,
   * so they die young); replay reads these too, so there is no gap at the seam
   */
  pending: FrameBatch;
  seq: number;
  bytes: number;
  truncated: boolean;
  /** subscribers that asked the producer to wait for them, and since when */
  holds: number;
  holdSince: number;
  released?: () => void;
  /** the server is stopping: the run ends INTERRUPTED, not CANCELLED */
  interrupted?: boolean;
  /** the write under way, if any: one at a time, in order */
  flushing: Promise<void> | null;
  /** failed writes in a row, and when the next may be tried (backoff) */
  failures: number;
  retryAt: number;
  /** the run's output file, opened by the first write */
  writer: OutputWriter | null;
  /** the counters as the file has them, as the row last got them, when, and whether a write is under way */
  written: Counters;
  counted: Counters;
  countedAt: number;
  counting: boolean;
}

type Counters = Pick<CommandRun, 'lastSeq' | 'outputBytes' | 'outputTruncated'>;

const FLUSH_MS = 50;
// a batch is one write to the run's file. Batches much larger than this keep the chunks waiting
// for them alive long enough to be promoted (the RSS rose 5 MiB a run with 2 MiB batches, when
// they were database transactions); 512 KiB keeps it level
const FLUSH_BYTES = 512 * 1024;
// the row's lastSeq/outputBytes follow the file this often while a run runs (exact at its end)
const COUNTERS_MS = 1000;
// the total stored output (for OUTPUT_QUOTA_BYTES) is asked of the database this often
const QUOTA_MS = 5000;
const HOLD_MAX_MS = 2000;
// while the store is away, a run's unstored output waits in memory up to this much; past it the
// run records a notice of the hole and is marked truncated, as at the output cap
const PENDING_MAX_BYTES = 16 * 1024 * 1024;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2000;

/** Starts runs, numbers and batches their output, publishes it, and records how they end. */
export class CommandSupervisor {
  private readonly active = new Map<string, Active>();
  stopping = false;
  /** told once of each run whose end this instance recorded (notifications) */
  private readonly endListeners: ((run: CommandRun) => void)[] = [];
  private readonly startListeners: ((run: CommandRun, spec: CommandSpec) => void)[] = [];
  /** the store failed and has not succeeded since: logged once per outage */
  private storeDown = false;

  /** every run's stored output as the database last summed it, and what this instance stored since */
  private quota = { used: 0, since: 0, at: 0, asking: false };

  constructor(
    private readonly orm: MikroORM,
    private readonly pubsub: PubSub,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly store: OutputStore,
    private readonly quotaBytes: number,
  ) {
    pubsub.on('runCancel', ({ runId }) => this.cancel(runId));
  }

  /** runs counted from the moment they are admitted, before their row is written */
  private readonly reserved = new Map<string, number>();

  running(commandName?: string): number {
    if (!commandName) return [...this.reserved.values()].reduce((a, b) => a + b, 0);
    return this.reserved.get(commandName) ?? 0;
  }

  /**
   * Admits a run or returns why not; synchronous, so two requests can't both take the last slot.
   * `limits: false` only reserves (a shared database has counted globally already).
   */
  admit(spec: CommandSpec, maxRunning: number, limits = true): { release(): void } | string {
    if (this.stopping) return 'The server is shutting down; try again in a moment.';
    if (limits) {
      const refused = refusal(spec, this.running(spec.name), this.running(), maxRunning);
      if (refused) return refused;
    }
    this.reserved.set(spec.name, this.running(spec.name) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const n = (this.reserved.get(spec.name) ?? 1) - 1;
        if (n > 0) this.reserved.set(spec.name, n);
        else this.reserved.delete(spec.name);
      },
    };
  }

  /**
   * On each heartbeat: runs of ours that someone asked to cancel (from any instance, also while
   * Redis is down), or that another instance took for gone, are stopped. Primary-key lookups only.
   */
  async checkRequests(): Promise<void> {
    if (!this.active.size) return;
    const ids = [...this.active.keys()];
    const rows = await this.orm.em.fork().find(
      CommandRun,
      {
        id: { $in: ids },
        $or: [{ cancelRequestedAt: { $ne: null } }, { status: { $ne: 'RUNNING' } }],
      },
      { fields: ['id', 'status'] },
    );
    for (const r of rows) {
      const a = this.active.get(r.id);
      if (!a) continue;
      // taken over: its end is recorded and published already; the child must not outlive that
      if (r.status !== 'RUNNING') a.interrupted = true;
      a.handle.cancel();
    }
  }

  /** `listener` hears of each run's end recorded here (not of runs another instance took over). */
  /** Called once a run's process is about to start on this instance (after approval, if any). */
  onRunStart(listener: (run: CommandRun, spec: CommandSpec) => void): void {
    this.startListeners.push(listener);
  }

  onRunEnd(listener: (run: CommandRun) => void): void {
    this.endListeners.push(listener);
  }

  pendingAfter(runId: string, afterSeq: number): LiveChunk[] {
    return this.active.get(runId)?.pending.after(afterSeq) ?? [];
  }

  cancel(runId: string): boolean {
    const a = this.active.get(runId);
    a?.handle.cancel();
    return !!a;
  }

  /** The run row is already stored (RUNNING); this spawns it and follows it to the end. */
  start(run: CommandRun, spec: CommandSpec, slot: { release(): void }): void {
    for (const listener of this.startListeners) listener(run, spec);
    const handle = startProcess({
      argv: run.argv,
      cwd: spec.cwd,
      // the run id lets a restart find (and kill) what a crashed server left running
      env: childEnv({ ...spec.env, TINY_AGENT_RUN_ID: run.id }),
      timeoutMs: spec.timeout * 1000,
    });
    const a: Active = {
      run,
      spec,
      handle,
      slot,
      checker: OutputChecker.of(spec),
      pending: new FrameBatch(),
      seq: 0,
      bytes: 0,
      truncated: false,
      holds: 0,
      holdSince: 0,
      flushing: null,
      failures: 0,
      retryAt: 0,
      writer: null,
      written: NOTHING_WRITTEN,
      counted: NOTHING_WRITTEN,
      countedAt: 0,
      counting: false,
    };
    this.active.set(run.id, a);
    this.askQuota();
    this.metrics.runningCommands.inc();
    void this.follow(a);
  }

  private async follow(a: Active): Promise<void> {
    const timer = setInterval(() => {
      void this.flush(a);
      this.count(a);
      this.askQuota();
    }, FLUSH_MS);
    let unflushed = 0;
    try {
      for await (const c of a.handle.chunks) {
        if (a.holds > 0) await this.heldBack(a);
        const stream = c.stream === 'stdout' ? 'STDOUT' : 'STDERR';
        a.checker?.feed(c.stream, c.data); // output past the caps counts too
        if (a.truncated) {
          // past the cap: still live for whoever watches, no longer stored
          this.emit(a, stream, c.data, false);
          continue;
        }
        const bytes = Buffer.byteLength(c.data);
        const quotaLeft = this.quotaBytes - this.quota.used - this.quota.since;
        if (a.pending.bytes + bytes > PENDING_MAX_BYTES) this.dropWhileDown(a, stream, c.data);
        else if (bytes > quotaLeft) this.reachCap(a, stream, c.data, quotaLeft, 'quota');
        else if (a.bytes + bytes <= a.spec.maxOutputBytes) this.emit(a, stream, c.data, true);
        else this.reachCap(a, stream, c.data, a.spec.maxOutputBytes - a.bytes, 'command');
        unflushed += bytes;
        if (unflushed > FLUSH_BYTES) {
          // one batch is written while the next gathers; storing paces the child (its pipe
          // fills) only when the disk is slower than it
          unflushed = 0;
          if (a.flushing) await a.flushing;
          void this.flush(a);
        }
      }
      const result = await a.handle.done;
      if (result.error) this.emit(a, 'STDERR', result.error + '\n', true);
      clearInterval(timer);
      await this.stored(a);
      await this.closeFile(a);
      const status = a.interrupted ? 'INTERRUPTED' : result.status;
      const checked = a.checker?.verdict(status);
      await this.finish(
        a,
        checked?.status ?? status,
        result.exitCode,
        result.signal,
        result.error ?? null,
        checked && { checkReason: checked.checkReason, extracted: checked.extracted },
      );
    } catch (err) {
      clearInterval(timer);
      await this.closeFile(a);
      this.log.error('run supervision failed', { runId: a.run.id, err });
      await this.finish(a, 'FAILED', null, null, 'Internal error while following the run.').catch(
        () => {},
      );
    }
  }

  /**
   * The chunk that crosses a limit (the command's maxOutputBytes, or the server's output quota):
   * what fits is stored (whole characters), a notice says the rest is not.
   */
  private reachCap(
    a: Active,
    stream: StreamName,
    data: string,
    room: number,
    limit: 'command' | 'quota',
  ): void {
    const kept = cutUtf8(Buffer.from(data), Math.max(0, room)).toString('utf8');
    if (kept) this.emit(a, stream, kept, true);
    a.truncated = true;
    const why =
      limit === 'command'
        ? `output past ${Math.round(a.spec.maxOutputBytes / 1024)} KiB is not kept`
        : `the server's output quota (OUTPUT_QUOTA_BYTES, ${Math.round(this.quotaBytes / 1024 ** 2)} MiB for all runs) is full: further output is not kept`;
    this.emit(
      a,
      'STDERR',
      `\n[tiny-agent] ${why} (live viewers still see it); the command goes on running.\n`,
      true,
    );
    if (kept.length < data.length) this.emit(a, stream, data.slice(kept.length), false);
  }

  /** The store has been failing so long that the output waiting for it reached its bound. */
  private dropWhileDown(a: Active, stream: StreamName, data: string): void {
    a.truncated = true;
    this.emit(
      a,
      'STDERR',
      `\n[tiny-agent] the output could not be written and ${PENDING_MAX_BYTES / 1024 / 1024} MiB of it waited: output from here on is not kept (live viewers still see it).\n`,
      true,
    );
    this.emit(a, stream, data, false);
  }

  /**
   * A live subscriber that falls behind holds the producer back (its pipe fills, the child
   * waits) for at most HOLD_MAX_MS; one that still hasn't caught up overflows its own queue,
   * which drops the backlog and reads it from the store, so a stalled viewer never stalls the command.
   */
  hold(runId: string): () => void {
    const a = this.active.get(runId);
    if (!a) return () => {};
    if (a.holds++ === 0) a.holdSince = Date.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--a.holds === 0) a.released?.();
    };
  }

  private async heldBack(a: Active): Promise<void> {
    const left = HOLD_MAX_MS - (Date.now() - a.holdSince);
    if (left <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      a.released = () => {
        clearTimeout(timer);
        a.released = undefined;
        resolve();
      };
    });
  }

  private emit(a: Active, stream: StreamName, data: string, store: boolean): void {
    const chunk: LiveChunk = { seq: ++a.seq, stream, data, at: new Date().toISOString() };
    if (store) {
      const bytes = Buffer.byteLength(data);
      a.bytes += bytes;
      this.quota.since += bytes;
      a.pending.push(chunk, bytes);
    }
    this.pubsub.publish('runOutput', { chunk }, a.run.id);
  }

  /**
   * One write per batch to the run's file; the run's row follows every COUNTERS_MS. A failed write
   * keeps its chunks pending and is tried again after a backoff (the timer calls this every FLUSH_MS).
   */
  private flush(a: Active): Promise<void> {
    if (a.flushing) return a.flushing;
    if (!a.pending.size || Date.now() < a.retryAt) return Promise.resolve();
    const batch = a.pending.head();
    // the counters as they stand with this batch: a chunk emitted during the write is not in it
    const counters = { lastSeq: a.seq, outputBytes: a.bytes, outputTruncated: a.truncated };
    const write = (async () => {
      a.writer ??= await this.store.create(a.run.id);
      await a.writer.append(batch.frames);
    })();
    a.flushing = write.then(
      () => {
        a.pending.drop(batch);
        a.failures = 0;
        this.storeUp();
        a.written = counters;
        this.count(a);
      },
      (err) => this.storeFailed(a, err),
    );
    return a.flushing.finally(() => (a.flushing = null));
  }

  /** The row follows the file, at most every COUNTERS_MS (at once when the run just became truncated). */
  private count(a: Active): void {
    const next = a.written;
    if (a.counting || next === a.counted) return;
    const due =
      Date.now() - a.countedAt >= COUNTERS_MS || next.outputTruncated !== a.counted.outputTruncated;
    if (!due) return;
    a.counting = true;
    a.countedAt = Date.now();
    this.orm.em
      .fork()
      .nativeUpdate(CommandRun, { id: a.run.id, status: 'RUNNING' }, next)
      .then(
        () => (a.counted = next),
        // the file has the output; the row catches up on a later tick or at the end
        () => {},
      )
      .finally(() => (a.counting = false));
  }

  /** The output file synced and closed; a failure is logged (its frames are whole or cut at a frame). */
  private async closeFile(a: Active): Promise<void> {
    const w = a.writer;
    a.writer = null;
    await w
      ?.close()
      .catch((err) =>
        this.log.error("closing a run's output file failed", { runId: a.run.id, err }),
      );
  }

  /** Asks the database for every run's stored output, at most every QUOTA_MS (never waited for). */
  private askQuota(): void {
    const q = this.quota;
    if (q.asking || Date.now() - q.at < QUOTA_MS) return;
    q.asking = true;
    const since = q.since;
    const em = this.orm.em.fork() as SqlEntityManager;
    em.execute<{ total: number | string | null }[]>(
      'select sum(output_bytes) as total from command_runs where output_removed_at is null',
    )
      .then(
        ([row]) => {
          q.used = Number(row?.total ?? 0);
          q.since -= since; // what was stored while asking counts on top
          q.at = Date.now();
        },
        () => {},
      )
      .finally(() => (q.asking = false));
  }

  /** Every run's stored output as far as this instance knows (for the storage view). */
  get outputStoredBytes(): number {
    return this.quota.used + this.quota.since;
  }

  /** After the write under way, one with what is pending now (unless backing off). */
  private async flushNow(a: Active): Promise<void> {
    if (a.flushing) await a.flushing;
    await this.flush(a);
  }

  /** Writes until nothing is pending, waiting out an outage of the database. */
  private async stored(a: Active): Promise<void> {
    while (a.pending.size) {
      await this.flushNow(a);
      if (a.pending.size) await sleep(Math.max(10, a.retryAt - Date.now()));
    }
  }

  private storeFailed(a: Active, err: unknown): void {
    a.failures++;
    a.retryAt = Date.now() + Math.min(RETRY_MIN_MS * 2 ** (a.failures - 1), RETRY_MAX_MS);
    if (this.storeDown) return;
    this.storeDown = true;
    this.log.error('could not store run output; retrying until it can be written', {
      runId: a.run.id,
      err,
    });
  }

  private storeUp(): void {
    if (!this.storeDown) return;
    this.storeDown = false;
    this.log.info('run output is stored again');
  }

  private async finish(
    a: Active,
    status: CommandRun['status'],
    exitCode: number | null,
    signal: string | null,
    error: string | null,
    checks?: Pick<CommandRun, 'checkReason' | 'extracted'>,
  ) {
    const finishedAt = new Date();
    const ended = {
      ...checks,
      status,
      exitCode,
      signal,
      error,
      finishedAt,
      lastSeq: a.seq,
      outputBytes: a.bytes,
      outputTruncated: a.truncated,
    };
    // tried until stored: a run that ends while the database is away is recorded once it is back;
    // and only while it is still ours: a run another instance took over keeps the end it recorded
    let changed = 0;
    for (let failures = 0; ; failures++) {
      try {
        changed = await this.orm.em
          .fork()
          .nativeUpdate(CommandRun, { id: a.run.id, status: 'RUNNING' }, ended);
        break;
      } catch (err) {
        if (failures === 0) this.storeFailed(a, err);
        await sleep(Math.min(RETRY_MIN_MS * 2 ** failures, RETRY_MAX_MS));
      }
    }
    this.storeUp();
    this.active.delete(a.run.id);
    a.slot.release();
    this.metrics.runningCommands.dec();
    if (!changed) {
      this.log.warn('run ended after another instance had taken it over', { runId: a.run.id });
      return;
    }
    Object.assign(a.run, ended); // the entity others hold shows what was stored
    this.metrics.commandResults.inc({ command: a.spec.name, status });
    this.metrics.commandSeconds.observe(
      { command: a.spec.name },
      (finishedAt.getTime() - a.run.startedAt.getTime()) / 1000,
    );
    this.pubsub.publish('runOutput', { end: { lastSeq: a.seq } }, a.run.id);
    this.pubsub.publish('runUpdated', { runId: a.run.id, startedById: a.run.startedById });
    this.log.info('run finished', {
      runId: a.run.id,
      command: a.spec.name,
      status,
      exitCode,
      signal,
    });
    for (const listener of this.endListeners) listener(a.run);
  }

  private idle(): Promise<void> {
    // finish() runs after done settles; wait until every run has recorded its end
    return new Promise((resolve) => {
      const check = () => (this.active.size === 0 ? resolve() : setTimeout(check, 10));
      check();
    });
  }

  /** Shutdown: stop every run (INTERRUPTED) and wait (bounded) for their ends to be recorded. */
  async stopAll(timeoutMs = 7000): Promise<void> {
    this.stopping = true;
    const ends = [...this.active.values()].map((a) => {
      a.interrupted = true;
      a.handle.cancel();
      return a.handle.done;
    });
    const settled = Promise.all(
      [...this.active.values()].map((a) => a.handle.done.then(() => this.stored(a))),
    );
    await Promise.race([
      Promise.all(ends)
        .then(() => settled)
        .then(() => this.idle()),
      new Promise((r) => setTimeout(r, timeoutMs)),
    ]);
  }
}

/** Why a run may not start, given how many run now (of this command, in all); null when it may. */
export function refusal(
  spec: CommandSpec,
  mine: number,
  total: number,
  maxRunning: number,
): string | null {
  if (mine >= spec.maxConcurrent)
    return `"${spec.name}" is already running ${mine} time(s), the most allowed at once. Wait for a run to finish or cancel one.`;
  if (total >= maxRunning)
    return `${maxRunning} commands are already running, the most this server allows at once. Try again when one has finished.`;
  return null;
}

const NOTHING_WRITTEN: Counters = { lastSeq: 0, outputBytes: 0, outputTruncated: false };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
