import type { Context } from '../../context.js';
import { requireViewer } from '../auth/guards.js';
import { StoredFile } from './file.entity.js';
import { fileVisible, getFile } from './file.service.js';

const finished = (f: StoredFile) =>
  f.processingStatus === 'DONE' || f.processingStatus === 'FAILED';

/** Files whose processing finished, that the viewer may see (checked for every event). */
export async function* fileProcessedUpdates(
  ctx: Context,
  id: string | null,
): AsyncGenerator<StoredFile> {
  const viewer = requireViewer(ctx);
  // subscribed before the status is read: a finish in between is not missed
  const queue = ctx.app.pubsub.subscribe('fileProcessed', { limit: 10_000, signal: ctx.signal });
  try {
    if (id) {
      const file = await getFile(ctx, id);
      if (finished(file)) {
        yield file;
        return;
      }
    }
    for await (const e of queue) {
      if (id ? e.fileId !== id : !fileVisible(viewer, { ownerId: e.ownerId })) continue;
      const file = await ctx.app.orm.em.fork().findOne(StoredFile, { id: e.fileId });
      if (file) yield file;
      if (id) return;
    }
  } finally {
    await queue.return();
  }
}
