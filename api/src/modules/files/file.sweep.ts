import { mkdir, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AppServices } from '../../context.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { User } from '../users/user.entity.js';
import { StoredFile } from './file.entity.js';
import { enqueueProcessing } from './file.processor.js';
import { FILE_ID, uploadsDir } from './file.paths.js';
import { fileStore } from './file.store.js';
/** a stored file with no row this young is a crash between rename and insert: never visible, safe to remove */
const CRASH_WINDOW_MS = 3600_000;

const sweeps = new WeakMap<AppServices, Promise<void>>();

/** ids of uploads between their first byte and their row: never someone's leftovers */
export const uploadsInFlight = new Set<string>();

/**
 * Once per app, before the first upload (or at start-up): removes `.tmp-*` files left by a crash,
 * recent stored files that never got their row, and queues processing that a stop interrupted.
 */
export function sweepUploads(app: AppServices): Promise<void> {
  let done = sweeps.get(app);
  if (!done) {
    done = sweep(app);
    sweeps.set(app, done);
    // a deleted user's rows go by cascade; their bytes go here
    app.pubsub.on('authRevoked', (e) => {
      if (e.userId)
        void removeDeletedUsersFiles(app, e.userId).catch((err) =>
          app.log.error("removing a deleted user's files failed", { err }),
        );
    });
  }
  return done;
}

async function rowIds(app: AppServices): Promise<Set<string>> {
  const rows = await app.orm.em.fork().find(StoredFile, {}, { fields: ['id'] });
  return new Set(rows.map((r) => r.id));
}

async function removeDeletedUsersFiles(app: AppServices, userId: string): Promise<void> {
  if (await app.orm.em.fork().count(User, { id: userId })) return; // disabled or changed, not deleted
  const known = await rowIds(app);
  const store = await fileStore(app);
  let removed = 0;
  for await (const { key: name } of store.list()) {
    if (!FILE_ID.test(name) || known.has(name) || uploadsInFlight.has(name)) continue;
    await store.delete(name).then(
      () => removed++,
      () => {},
    );
  }
  if (removed) app.log.info('files of a deleted user removed', { userId, count: removed });
}

async function sweep(app: AppServices): Promise<void> {
  const dir = uploadsDir(app);
  const store = await fileStore(app);
  const rows = await app.orm.em.fork().find(StoredFile, {}, { fields: ['id', 'processingStatus'] });
  const known = new Set(rows.map((r) => r.id));
  let temporary = 0;
  let orphans = 0;
  let oldOrphans = 0;
  // partial uploads in a bucket are unfinished multipart uploads: never objects, nothing to sweep
  if (store.kind === 'folder') {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(dir)) {
      if (!name.startsWith('.tmp-')) continue;
      await unlink(path.join(dir, name)).then(
        () => temporary++,
        () => {},
      );
    }
  }
  for (const { key: name, modifiedAt } of await listed(app, store)) {
    if (!FILE_ID.test(name) || known.has(name)) continue;
    // older ones are more likely another database's files: reported, not destroyed
    if (Date.now() - modifiedAt.getTime() < CRASH_WINDOW_MS)
      await store.delete(name).then(
        () => orphans++,
        () => {},
      );
    else oldOrphans++;
  }
  const unfinished = rows.filter(
    (r) => r.processingStatus === 'PENDING' || r.processingStatus === 'RUNNING',
  );
  for (const r of unfinished) enqueueProcessing(app, r.id);
  if (temporary || orphans || unfinished.length)
    app.log.info('uploads swept', { temporary, orphans, requeued: unfinished.length });
  if (oldOrphans)
    app.log.warn('stored files without a database row were left in place', {
      count: oldOrphans,
      store: store.kind === 'folder' ? dir : 'bucket',
    });
}

/** The stored objects; a bucket unreachable at start-up is logged, not fatal (uploads then fail alone). */
async function listed(app: AppServices, store: ObjectStore) {
  const all = [];
  try {
    for await (const o of store.list()) all.push(o);
  } catch (err) {
    if (store.kind === 'folder') throw err;
    app.log.warn('the upload bucket could not be listed; leftovers are swept at the next start', {
      err,
    });
  }
  return all;
}
