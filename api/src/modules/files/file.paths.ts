import path from 'node:path';
import type { AppServices } from '../../context.js';
import { safeJoin } from '../../http/safe-join.js';

/** Stored files are named by their server-generated id, never by anything the client sent. */
export const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const uploadsDir = (app: Pick<AppServices, 'config'>): string =>
  path.join(app.config.DATA_DIR, 'uploads');

/** Where a file's bytes live, or null for anything that is not a file id. */
export function storedPath(app: Pick<AppServices, 'config'>, id: string): string | null {
  return FILE_ID.test(id) ? safeJoin(uploadsDir(app), id) : null;
}

/** Where an upload is written before it is complete, flushed and renamed. */
export function tmpPath(app: Pick<AppServices, 'config'>, id: string): string | null {
  return FILE_ID.test(id) ? safeJoin(uploadsDir(app), `.tmp-${id}`) : null;
}
