// Retention of uploads: files older than `uploads.days` go as deleteFile removes one (row, then bytes).
import type { AppServices } from '../../context.js';
import { StoredFile } from '../files/file.entity.js';
import { fileStore } from '../files/file.store.js';
import {
  eachLimited,
  nothing,
  RETENTION_BATCH,
  yieldToRequests,
  type Removed,
} from './retention.batch.js';

const DAY_MS = 86_400_000;

export async function sweepOldUploads(
  app: Omit<AppServices, 'retention'>,
  days: number,
  now: number,
  stopped: () => boolean,
): Promise<Removed> {
  const done = nothing();
  const cutoff = new Date(now - days * DAY_MS);
  const store = await fileStore(app);
  while (!stopped()) {
    const batch = await app.orm.em.fork().find(
      StoredFile,
      { createdAt: { $lt: cutoff } },
      {
        fields: ['id', 'size'],
        orderBy: { createdAt: 'asc', id: 'asc' },
        limit: RETENTION_BATCH,
      },
    );
    if (!batch.length) break;
    const ids = batch.map((f) => f.id);
    done.count += await app.orm.em.fork().nativeDelete(StoredFile, { id: { $in: ids } });
    // the row goes first (as in deleteFile): bytes a failed delete leaves are an orphan the upload sweep reports
    done.bytes += await eachLimited(batch, (f) =>
      store.delete(f.id).then(
        () => f.size,
        (err) => {
          app.log.warn('a deleted file’s bytes could not be removed', { fileId: f.id, err });
          return 0;
        },
      ),
    );
    done.batches++;
    if (batch.length < RETENTION_BATCH) break;
    await yieldToRequests();
  }
  return done;
}
