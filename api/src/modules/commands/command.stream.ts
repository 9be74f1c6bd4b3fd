import type { Context } from '../../context.js';
import { BoundedQueue } from '../../realtime/queue.js';
import { CommandRun } from './command-run.entity.js';
import { coalesce } from './command.coalesce.js';
import { getRun, storedOutput } from './command.service.js';
import type { LiveChunk, OutputEvent } from './command.live-chunk.js';

const HIGH_WATER_BYTES = 32 * 1024 * 1024;
// a subscriber this far behind holds the producer back: a small backlog keeps the chunks short-lived
// (collected young), which streamed faster than an 8 MiB one did
const HOLD_AT_BYTES = 1024 * 1024;
const COALESCE_BYTES = 64 * 1024;
const REPLAY_PAGE = 500;

/**
 * Stored chunks after `afterSeq`, then live ones: subscribed to live first, replayed second,
 * and live chunks at or below the last replayed seq skipped — no gap and no duplicate at the seam.
 * A subscriber that falls more than HIGH_WATER_BYTES behind is closed (RATE_LIMITED) and resumes.
 */
export async function* commandOutput(
  ctx: Context,
  runId: string,
  afterSeq = 0,
): AsyncGenerator<LiveChunk> {
  const run = await getRun(ctx, runId);
  const live = new BoundedQueue<OutputEvent>({
    limit: HIGH_WATER_BYTES,
    weigh: (e) => ('chunk' in e ? e.chunk.data.length + 64 : 64),
    signal: ctx.signal,
  });
  const hold: { release: (() => void) | null } = { release: null };
  live.onCleanup(
    ctx.app.pubsub.on(
      'runOutput',
      (e) => {
        live.push(e);
        // falling behind: ask the producer to wait (bounded; see CommandSupervisor.hold)
        if (!hold.release && live.weightNow > HOLD_AT_BYTES)
          hold.release = ctx.app.supervisor.hold(run.id);
      },
      run.id,
    ),
  );
  live.onCleanup(() => hold.release?.());
  try {
    let last = Math.max(0, afterSeq);
    // status read after subscribing: a run that has ended has all its output stored
    await ctx.em.refresh(run);
    const ended = run.status !== 'RUNNING';
    for (;;) {
      const page = await storedOutput(ctx, run.id, last, REPLAY_PAGE);
      if (!page.length) break;
      for (const c of coalesce(page, COALESCE_BYTES)) yield c;
      last = page[page.length - 1]!.seq;
      ctx.em.clear();
    }
    if (ended) return;
    for (;;) {
      const first = await live.take();
      if (first.done) return;
      const batch = [first.value, ...live.drain()];
      const chunks: LiveChunk[] = [];
      let end = false;
      for (const e of batch) {
        if ('end' in e) end = true;
        else if (e.chunk.seq > last) chunks.push(e.chunk);
      }
      for (const c of coalesce(chunks, COALESCE_BYTES)) {
        last = c.seq;
        yield c;
      }
      if (hold.release && live.weightNow < HOLD_AT_BYTES / 2) {
        hold.release();
        hold.release = null;
      }
      if (end) return;
    }
  } finally {
    live.close();
  }
}

/** Status changes of runs the viewer may see, checked for every event. */
export async function* commandRunUpdates(ctx: Context) {
  const queue = ctx.app.pubsub.subscribe('runUpdated', { limit: 10_000, signal: ctx.signal });
  try {
    for await (const e of queue) {
      if (ctx.viewer!.role !== 'ADMIN' && e.startedById !== ctx.viewer!.userId) continue;
      const run = await ctx.app.orm.em.fork().findOne(CommandRun, { id: e.runId });
      if (run) yield run;
    }
  } finally {
    await queue.return();
  }
}
