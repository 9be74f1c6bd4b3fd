import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config/config.js';
import type { AppServices } from '../../context.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { User } from '../users/user.entity.js';
import { StoredFile } from './file.entity.js';
import { HEARTBEAT_MS, uploadsInFlight } from './file.in-flight.js';
import { enqueueProcessing } from './file.processor.js';
import { FILE_ID, uploadsDir } from './file.paths.js';
import { fileStore } from './file.store.js';
/** a stored file with no row this young is a crash between rename and insert: never visible, safe to remove */
const CRASH_WINDOW_MS = 3600_000;

/**
 * Untouched this long, an upload's file is nobody's: a live upload on any instance sharing the
 * folder refreshes its files every HEARTBEAT_MS, and its body may stall no longer than the
 * body timeout. Both with a wide margin (2 minutes by default).
 */
export const abandonedAfterMs = (config: Pick<Config, 'REQUEST_BODY_TIMEOUT_SECONDS'>): number =>
  Math.max(12 * HEARTBEAT_MS, 4 * config.REQUEST_BODY_TIMEOUT_SECONDS * 1000);

const sweeps = new WeakMap<AppServices, Promise<void>>();

/**
 * Once per app, before the first upload (or at start-up): removes `.tmp-*` files left by a crash,
 * recent stored files that never got their row, and queues processing that a stop interrupted.
 * Only what is provably abandoned goes: other instances may share the folder and be mid-upload.
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

/** How long ago the file was last written or marked fresh; null when it is not a plain file. */
async function idleMs(full: string): Promise<number | null> {
  const info = await stat(full).catch(() => null);
  return info?.isFile() ? Date.now() - info.mtimeMs : null;
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
  const abandoned = abandonedAfterMs(app.config);
  for await (const { key: name, modifiedAt } of store.list()) {
    if (!FILE_ID.test(name) || known.has(name) || uploadsInFlight.has(name)) continue;
    // a young row-less file may be an upload between its last byte and its row, here or elsewhere
    if (Date.now() - modifiedAt.getTime() < abandoned) continue;
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
  const abandoned = abandonedAfterMs(app.config);
  // partial uploads in a bucket are unfinished multipart uploads: never objects, nothing to sweep
  if (store.kind === 'folder') {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(dir)) {
      if (!name.startsWith('.tmp-')) continue;
      const idle = await idleMs(path.join(dir, name));
      // young: an upload in progress on this or another instance sharing the folder
      if (idle === null || idle < abandoned) continue;
      await unlink(path.join(dir, name)).then(
        () => temporary++,
        () => {},
      );
    }
  }
  for (const { key: name, modifiedAt } of await listed(app, store)) {
    if (!FILE_ID.test(name) || known.has(name)) continue;
    const idle = Date.now() - modifiedAt.getTime();
    // young: an upload between its last byte and its row, on this or another instance
    if (idle < abandoned) continue;
    // older ones are more likely another database's files: reported, not destroyed
    if (idle < CRASH_WINDOW_MS)
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
