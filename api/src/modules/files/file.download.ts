import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AppServices } from '../../context.js';
import { refuseSignedOut, startDownload } from '../../http/download.js';
import { clientIp } from '../../http/request-identity.js';
import { sendError } from '../../http/respond.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { StoredFile } from './file.entity.js';
import { FILE_ID } from './file.paths.js';
import { fileVisible } from './file.service.js';
import { fileStore } from './file.store.js';

/** `GET /files/:id`: the stored bytes as an attachment; same access rules as `file(id)`. */
export async function serveFileDownload(
  req: IncomingMessage,
  res: ServerResponse,
  app: AppServices,
  viewer: Viewer | null,
): Promise<void> {
  const notFound = () => sendError(res, 404, 'NOT_FOUND', 'That file was not found.');
  const id = /^\/files\/([^/?]+)$/.exec((req.url ?? '').split('?', 1)[0]!)?.[1] ?? '';
  if (!viewer) return refuseSignedOut(res);
  const file = FILE_ID.test(id) ? await app.orm.em.fork().findOne(StoredFile, { id }) : null;
  const store = await fileStore(app);
  const info = file && fileVisible(viewer, file) ? await store.stat(file.id) : null;
  // someone else's file answers exactly like a missing one
  if (!file || !info) return notFound();

  const size = info.size;
  const download = {
    fileName: file.name,
    contentType: file.mimeType.startsWith('text/')
      ? `${file.mimeType}; charset=utf-8`
      : file.mimeType,
    size,
    etag: `"${file.sha256}"`,
  };
  const span = await startDownload(req, res, download, async ({ start, end, partial }) => {
    if (req.method !== 'GET') return;
    // recorded before the first byte: a download cut short was still handed out
    await recordAudit(app, {
      action: 'FILE_DOWNLOADED',
      actor: { userId: viewer.userId, username: viewer.username },
      ip: clientIp(req, app.config.TRUST_PROXY),
      target: file.id,
      detail: {
        name: file.name,
        bytes: size ? end - start + 1 : 0,
        ...(partial ? { range: `${start}-${end}` } : {}),
      },
    });
  });
  if (!span) return;
  const { start, end } = span;
  // span is null for HEAD and empty files: here there is at least one byte to read
  const body = await store.get(file.id, { start, end }).catch((err: unknown) => {
    app.log.warn('a stored file could not be read', { fileId: file.id, err });
    return null;
  });
  // the headers are out: a file gone (or a bucket unreachable) meanwhile cuts the response
  if (!body) return void res.destroy();
  // a client that goes away mid-download ends the pipeline (and the read); nothing to clean up
  await pipeline(body, res).catch(() => res.destroy());
}
