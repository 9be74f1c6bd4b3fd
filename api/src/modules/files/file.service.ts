import { randomUUID } from 'node:crypto';
import type { FileUpload } from 'graphql-upload-minimal';
import type { AppServices, Context } from '../../context.js';
import { AppError, BadUserInputError, NotFoundError, PayloadTooLargeError } from '../../errors.js';
import { newestFirst, type Page } from '../../pagination/keyset.js';
import { auditAs } from '../audit/audit.service.js';
import { requireViewer } from '../auth/guards.js';
import type { Viewer } from '../auth/viewer.js';
import { StoredFile } from './file.entity.js';
import { cleanDisplayName } from './file.name.js';
import { enqueueProcessing } from './file.processor.js';
import { typeAllowed } from './file.sniffer.js';
import { FILE_ID, uploadsDir } from './file.paths.js';
import type { RunFileCopies } from './file.run-copy.js';
import { fileStore } from './file.store.js';
import { uploadsInFlight } from './file.in-flight.js';
import { sweepUploads } from './file.sweep.js';
import { writeUpload } from './file.writer.js';

export function fileVisible(viewer: Viewer, file: Pick<StoredFile, 'ownerId'>): boolean {
  return viewer.role === 'ADMIN' || file.ownerId === viewer.userId;
}

export async function getFile(
  ctx: Pick<Context, 'viewer' | 'em'>,
  id: string,
): Promise<StoredFile> {
  const viewer = requireViewer(ctx);
  const file = FILE_ID.test(id) ? await ctx.em.findOne(StoredFile, { id }) : null;
  // someone else's file answers exactly like a missing one
  if (!file || !fileVisible(viewer, file)) throw new NotFoundError('That file');
  return file;
}

/**
 * What a `file` command argument receives, for a file the caller may read: the stored file's path
 * in a folder store, a private copy made for the run (in `copies`) with a bucket.
 */
export async function resolveFileForCommand(
  ctx: Context,
  id: string,
  copies: RunFileCopies,
): Promise<string> {
  const file = await getFile(ctx, id);
  const store = await fileStore(ctx.app);
  const local = store.localPath(file.id);
  const full = local ? (await store.stat(file.id)) && local : await copies.add(store, file.id);
  if (!full) throw new NotFoundError('That file');
  return full;
}

export async function uploadFile(ctx: Context, upload: Promise<FileUpload>): Promise<StoredFile> {
  const viewer = requireViewer(ctx);
  await sweepUploads(ctx.app);
  const received = await receive(upload);
  const id = randomUUID();
  uploadsInFlight.add(id, uploadsDir(ctx.app));
  try {
    return await storeUpload(ctx, viewer, received, id);
  } finally {
    uploadsInFlight.delete(id);
  }
}

async function storeUpload(
  ctx: Context,
  viewer: Viewer,
  received: FileUpload,
  id: string,
): Promise<StoredFile> {
  const { config, metrics, log } = ctx.app;
  const store = await fileStore(ctx.app);
  const limit = await uploadLimit(ctx, viewer);
  let written;
  try {
    written = await writeUpload(received.createReadStream(), store, id, {
      ...limit,
      accepts: (mime) => typeAllowed(mime, config.UPLOAD_ALLOWED_TYPES),
    });
  } catch (err) {
    const mapped = fromUploadError(err);
    metrics.uploads.inc({ outcome: mapped instanceof AppError ? mapped.code : 'aborted' });
    if ((err as { code?: string }).code === 'ENOSPC')
      log.warn('upload refused: the disk is full', { store: store.kind });
    throw mapped;
  }
  try {
    const file = await withUserLock(viewer.userId, async () => {
      // concurrent uploads each fit alone: the quota is checked again, one at a time, before the row
      const limit = await uploadLimit(ctx, viewer);
      if (written.size > limit.maxBytes)
        throw new PayloadTooLargeError(`The file is larger than ${limit.limitReason}.`);
      const row = ctx.em.create(StoredFile, {
        id,
        name: cleanDisplayName(received.filename),
        size: written.size,
        mimeType: written.mimeType,
        sha256: written.sha256,
        ownerId: viewer.userId,
      } as StoredFile);
      await ctx.em.flush();
      return row;
    });
    metrics.uploads.inc({ outcome: 'stored' });
    metrics.uploadedBytes.inc(written.size);
    log.info('file uploaded', {
      fileId: id,
      by: viewer.userId,
      size: written.size,
      mimeType: written.mimeType,
    });
    await auditAs(ctx, 'FILE_UPLOADED', {
      target: id,
      detail: { name: file.name, size: file.size, mimeType: file.mimeType },
    });
    enqueueProcessing(ctx.app, id);
    return file;
  } catch (err) {
    await store.delete(id).catch(() => {});
    throw err;
  }
}

export async function deleteFile(ctx: Context, id: string): Promise<boolean> {
  const file = await getFile(ctx, id);
  ctx.em.remove(file);
  await ctx.em.flush();
  // the row goes first: bytes left by a failed delete are an orphan the sweep can report
  await (
    await fileStore(ctx.app)
  )
    .delete(file.id)
    .catch((err) =>
      ctx.app.log.warn('a deleted file’s bytes could not be removed', { fileId: file.id, err }),
    );
  ctx.app.log.info('file deleted', { fileId: file.id, by: ctx.viewer!.userId });
  await auditAs(ctx, 'FILE_DELETED', {
    target: file.id,
    detail: { name: file.name, owner: file.ownerId },
  });
  return true;
}

/** The bytes of files whose rows are gone (a deleted user's, by cascade); a failure is logged, not thrown. */
export async function removeStoredBytes(app: AppServices, ids: readonly string[]): Promise<void> {
  const store = await fileStore(app);
  for (const id of ids)
    await store
      .delete(id)
      .catch((err) =>
        app.log.warn('a deleted file’s bytes could not be removed', { fileId: id, err }),
      );
}

/** Newest first; USER sees their own files, ADMIN every file. */
export async function listFiles(
  ctx: Context,
  args: { first?: number | null; after?: string | null },
): Promise<Page<StoredFile>> {
  const viewer = requireViewer(ctx);
  return newestFirst(
    ctx.em,
    StoredFile,
    viewer.role === 'ADMIN' ? {} : { ownerId: viewer.userId },
    'createdAt',
    args,
  );
}

/** The upload's FileUpload, with the parser's refusals in contract codes. */
async function receive(upload: Promise<FileUpload>): Promise<FileUpload> {
  try {
    return await upload;
  } catch (err) {
    throw fromUploadError(err);
  }
}

/** Parser refusals in contract codes; errors of our own (disk, database) stay unexpected and masked. */
function fromUploadError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const { status, code } = err as { status?: number; code?: string };
  if (status === 413) return new PayloadTooLargeError('The file is larger than the upload limit.');
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new PayloadTooLargeError(
      'The server has no room left for this file; ask the operator to free disk space.',
    );
  // busboy's own errors (a malformed part, a form cut short) carry neither a status nor a system code;
  // 499: the request ended before the file did (the client left, or its body stalled)
  if (
    status === 400 ||
    status === 499 ||
    (status === undefined && code === undefined && err instanceof Error)
  ) {
    return new BadUserInputError(
      `The upload could not be read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return err;
}

/** The most bytes this upload may have: UPLOAD_MAX_BYTES, or less when the user's quota is nearly used. */
async function uploadLimit(
  ctx: Context,
  viewer: Viewer,
): Promise<{ maxBytes: number; limitReason: string }> {
  const { UPLOAD_MAX_BYTES: max, UPLOAD_QUOTA_BYTES: quota } = ctx.app.config;
  const byMax = { maxBytes: max, limitReason: `the upload limit of ${max} bytes` };
  if (!quota) return byMax;
  const rows = await ctx.em
    .getConnection()
    .execute<{ total: number | string | null }[]>(
      'select coalesce(sum(size), 0) as total from files where uploaded_by_id = ?',
      [viewer.userId],
    );
  const left = Math.max(0, quota - Number(rows[0]?.total ?? 0));
  return left < max
    ? { maxBytes: left, limitReason: `your remaining upload quota of ${left} bytes (of ${quota})` }
    : byMax;
}

const userLocks = new Map<string, Promise<unknown>>();

/** Runs `fn` after the same user's earlier calls finished (in this process). */
async function withUserLock<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  const before = userLocks.get(userId) ?? Promise.resolve();
  const mine = before.then(fn, fn);
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  userLocks.set(userId, settled);
  try {
    return await mine;
  } finally {
    if (userLocks.get(userId) === settled) userLocks.delete(userId);
  }
}
