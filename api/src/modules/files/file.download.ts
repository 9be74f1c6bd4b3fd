import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AppServices } from '../../context.js';
import { clientIp } from '../../http/request-identity.js';
import { sendError } from '../../http/respond.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { StoredFile } from './file.entity.js';
import { contentDisposition } from './file.name.js';
import { FILE_ID, storedPath } from './file.paths.js';
import { fileVisible } from './file.service.js';

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` against `size`: the inclusive range, 'unsatisfiable', or null to send everything. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null; // several ranges or a malformed one: the whole file
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** `GET /files/:id`: the stored bytes as an attachment; same access rules as `file(id)`. */
export async function serveFileDownload(
  req: IncomingMessage,
  res: ServerResponse,
  app: AppServices,
  viewer: Viewer | null,
): Promise<void> {
  const notFound = () => sendError(res, 404, 'NOT_FOUND', 'That file was not found.');
  const id = /^\/files\/([^/?]+)$/.exec((req.url ?? '').split('?', 1)[0]!)?.[1] ?? '';
  if (!viewer)
    return sendError(
      res,
      401,
      'UNAUTHENTICATED',
      'Sign in first: downloads need a session cookie or a Bearer token.',
    );
  const file = FILE_ID.test(id) ? await app.orm.em.fork().findOne(StoredFile, { id }) : null;
  const full = file && fileVisible(viewer, file) ? storedPath(app, file.id) : null;
  const info = full ? await stat(full).catch(() => null) : null;
  // someone else's file answers exactly like a missing one
  if (!file || !full || !info?.isFile()) return notFound();

  const size = info.size;
  const etag = `"${file.sha256}"`;
  const ifRange = req.headers['if-range'];
  const range = ifRange && ifRange !== etag ? null : parseRange(req.headers.range, size);
  const headers: Record<string, string | number> = {
    'content-type': file.mimeType.startsWith('text/')
      ? `${file.mimeType}; charset=utf-8`
      : file.mimeType,
    'content-disposition': contentDisposition(file.name),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'private, no-cache',
    'accept-ranges': 'bytes',
    etag,
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': 0 });
    return void res.end();
  }
  const status = range ? 206 : 200;
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  if (req.method === 'GET') {
    // recorded before the first byte: a download cut short was still handed out
    await recordAudit(app, {
      action: 'FILE_DOWNLOADED',
      actor: { userId: viewer.userId, username: viewer.username },
      ip: clientIp(req, app.config.TRUST_PROXY),
      target: file.id,
      detail: {
        name: file.name,
        bytes: size ? end - start + 1 : 0,
        ...(range ? { range: `${start}-${end}` } : {}),
      },
    });
  }
  res.writeHead(status, {
    ...headers,
    'content-length': size ? end - start + 1 : 0,
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || size === 0) return void res.end();
  // a client that goes away mid-download ends the pipeline; nothing to clean up
  await pipeline(createReadStream(full, { start, end, highWaterMark: 256 * 1024 }), res).catch(() =>
    res.destroy(),
  );
}
