import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../../context.js';
import { sendError } from '../../http/respond.js';
import type { Viewer } from '../auth/viewer.js';

/** `GET /files/:id`: the stored bytes, same access rules as `file(id)` (arrives with the files module). */
export async function serveFileDownload(_req: IncomingMessage, res: ServerResponse, _app: AppServices, _viewer: Viewer | null): Promise<void> {
  sendError(res, 404, 'NOT_FOUND', 'That file was not found.');
}
