import type { Context } from '../../context.js';
import { BoundedQueue } from '../../realtime/queue.js';
import { CommandRun } from './command-run.entity.js';
import { joined } from './command.coalesce.js';
import { usersApprove } from '../approval/approval.rules.js';
import { getRun, OutputPages, runVisible } from './command.service.js';
import type { LiveChunk, OutputEvent } from './command.live-chunk.js';

const HIGH_WATER_BYTES = 32 * 1024 * 1024;
// a subscriber this far behind holds the producer back: a small backlog keeps the chunks short-lived
// (collected young), which streamed faster than an 8 MiB one did
const HOLD_AT_BYTES = 1024 * 1024;
const COALESCE_BYTES = 64 * 1024;
const REPLAY_PAGE = 500;
// a gap is the owner's next flush (every 50 ms) away: the store is asked again this often
const GAP_POLL_MS = 25;
// with nothing live for this long (Redis away, an end event lost) the stream asks the store itself
const IDLE_MS = 1000;

/**
 * Stored chunks after `afterSeq`, then live ones, on any instance and whenever it starts: live is
 * subscribed first, and every chunk is yielded in seq order exactly once. A live chunk beyond the
 * next seq waits until the store (the owner flushes every 50 ms) fills the gap; the end event's
 * lastSeq is reached from the store; a live backlog past HIGH_WATER_BYTES is dropped and read from
 * the store instead; and a quiet stream checks the store and the run's status every IDLE_MS.
 */
export async function* commandOutput(
  ctx: Context,
  runId: string,
  afterSeq = 0,
): AsyncGenerator<LiveChunk> {
  const run = await getRun(ctx, runId);
  const live = new LiveWindow(ctx, run.id);
  const store = new OutputPages(ctx.app, run.id);
  try {
    let last = Math.max(0, afterSeq);
    let reading = true; // the store is read page by page until it has nothing more
    let checkedAt = 0; // the first empty read asks for the run's status at once
    for (;;) {
      const next = live.after(last);
      if (next.length) {
        for (const c of joinRun(next)) yield c;
        last = next[next.length - 1]!.seq;
        continue;
      }
      // the end says how far the output goes: reached, there is nothing to ask the store
      if (live.endSeq !== null && last >= live.endSeq) return;
      if (reading || live.ahead(last)) {
        const page = await store.after(last, REPLAY_PAGE);
        if (page.length) {
          for (const c of joinRun(page)) yield c;
          last = page[page.length - 1]!.seq;
          reading = true;
          continue;
        }
        reading = false;
        live.storeRead();
      }
      if (live.endSeq !== null || Date.now() - checkedAt >= IDLE_MS) {
        checkedAt = Date.now();
        // one query while idle; the row before the store, so a truncation seen here has its
        // stored notice in the store (lastSeq counts every seq, stored or live-only)
        const row = await ctx.app.orm.em
          .fork()
          .findOne(
            CommandRun,
            { id: run.id },
            { fields: ['status', 'outputTruncated', 'lastSeq'] },
          );
        if (row && row.lastSeq > last && (await store.after(last, 1)).length) {
          reading = true;
          continue;
        }
        // an ended run's output is all stored (its end is recorded after the last write)
        // a run waiting for approval has not begun: its stream waits for the start (or the no)
        const waiting = row?.status === 'RUNNING' || row?.status === 'PENDING_APPROVAL';
        const ended = live.endSeq !== null || !waiting;
        // nothing stored after `last`: whatever live holds beyond it was live-only (past the cap)
        const skipTo = ended || row.outputTruncated ? live.skipTarget(last, ended) : last;
        if (skipTo > last) {
          yield skipped(last, skipTo);
          last = skipTo;
          continue;
        }
        if (ended) return;
      }
      if (live.closed) return;
      await live.wait(live.ahead(last) ? GAP_POLL_MS : IDLE_MS);
    }
  } finally {
    live.close();
  }
}

/** The live chunks of one run, by seq, bounded: past its limit the backlog is dropped (the store has it). */
class LiveWindow {
  private readonly queue: BoundedQueue<OutputEvent>;
  private readonly chunks: LiveChunk[] = [];
  private hold: (() => void) | null = null;
  private dropped = false;
  private bytes = 0;
  endSeq: number | null = null;

  constructor(
    private readonly ctx: Context,
    runId: string,
  ) {
    this.queue = new BoundedQueue<OutputEvent>({
      limit: HIGH_WATER_BYTES,
      weigh: (e) => ('chunk' in e ? e.chunk.data.length + 64 : 64),
      overflow: 'refuse',
      signal: ctx.signal,
    });
    this.queue.onCleanup(
      ctx.app.pubsub.on(
        'runOutput',
        (e) => {
          if ('end' in e) this.endSeq = e.end.lastSeq;
          if (this.queue.push(e)) {
            // falling behind: ask a local producer to wait (bounded; see CommandSupervisor.hold)
            if (!this.hold && this.queue.weightNow > HOLD_AT_BYTES)
              this.hold = ctx.app.supervisor.hold(runId);
            return;
          }
          // too far behind: forget the backlog, the store has it (and the next chunk shows the gap)
          this.queue.clear();
          this.dropped = true;
        },
        runId,
      ),
    );
    this.queue.onCleanup(() => this.hold?.());
  }

  get closed(): boolean {
    return this.ctx.signal?.aborted ?? false;
  }

  /** The live chunks that continue from `last`, in order (forgetting those at or below it). */
  after(last: number): LiveChunk[] {
    this.take();
    let i = 0;
    while (i < this.chunks.length && this.chunks[i]!.seq <= last) i++;
    let j = i;
    while (j < this.chunks.length && this.chunks[j]!.seq === last + 1 + (j - i)) j++;
    const out = this.chunks.slice(i, j);
    for (const c of this.chunks.splice(0, j)) this.bytes -= c.data.length;
    return out;
  }

  /** Something exists past `last` that live has not given: a gap to read from the store. */
  ahead(last: number): boolean {
    return (
      this.dropped ||
      this.chunks.some((c) => c.seq > last) ||
      (this.endSeq !== null && this.endSeq > last)
    );
  }

  /** The store had nothing more: a dropped backlog is recovered (a later gap shows itself). */
  storeRead(): void {
    this.dropped = false;
  }

  /** Where output resumes when what follows `last` is not stored: the next live chunk, or the end. */
  skipTarget(last: number, ended: boolean): number {
    const next = this.chunks.find((c) => c.seq > last);
    if (next) return next.seq - 1;
    return ended && this.endSeq !== null ? this.endSeq : last;
  }

  /** Resolves when a live event comes, or after `ms`. */
  async wait(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.queue.wait(), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  close(): void {
    this.queue.close();
  }

  private take(): void {
    const events = this.queue.drain();
    if (this.hold && this.queue.weightNow < HOLD_AT_BYTES / 2) {
      this.hold();
      this.hold = null;
    }
    for (const e of events) {
      if (!('chunk' in e)) continue;
      this.bytes += e.chunk.data.length;
      this.chunks.push(e.chunk);
    }
    // held while a gap is filled from the store: bounded like the queue
    if (this.bytes > HIGH_WATER_BYTES) {
      this.chunks.length = 0;
      this.bytes = 0;
      this.dropped = true;
    }
  }
}

/** Consecutive chunks joined up to COALESCE_BYTES; a joined chunk knows the first seq it covers. */
function joinRun(chunks: readonly LiveChunk[]): LiveChunk[] {
  const out: LiveChunk[] = [];
  for (const c of chunks) {
    const prev = out[out.length - 1];
    const j = prev && joined(prev, c, COALESCE_BYTES, (p) => p.data.length);
    if (j) {
      j.from = prev.from ?? prev.seq;
      out[out.length - 1] = j;
    } else out.push(c);
  }
  return out;
}

/** A visible notice in place of live-only output (past the stored cap) this reader fell behind on. */
function skipped(last: number, to: number): LiveChunk {
  return {
    seq: to,
    from: last + 1,
    stream: 'STDERR',
    data: `\n[tiny-agent] ${to - last} chunk(s) of output past the stored cap were skipped: this viewer fell behind while they were live-only.\n`,
    at: new Date().toISOString(),
  };
}

/** Status changes of runs the viewer may see, checked for every event. */
export async function* commandRunUpdates(ctx: Context) {
  const queue = ctx.app.pubsub.subscribe('runUpdated', { limit: 10_000, signal: ctx.signal });
  try {
    for await (const e of queue) {
      const viewer = ctx.viewer!;
      const own = viewer.role === 'ADMIN' || e.startedById === viewer.userId;
      // a USER approver hears of others' runs they may decide (read only when some command lets them)
      const commands = ctx.app.agent.config.commands;
      if (!own && !usersApprove(commands)) continue;
      const run = await ctx.app.orm.em.fork().findOne(CommandRun, { id: e.runId });
      if (run && (own || runVisible(viewer, run, commands))) yield run;
    }
  } finally {
    await queue.return();
  }
}
