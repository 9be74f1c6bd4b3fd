import type { Context } from '../../context.js';
import { NotFoundError } from '../../errors.js';

/** The stored path of an uploaded file the caller may read (files arrive with the files module). */
export async function resolveFileForCommand(_ctx: Context, id: string): Promise<string> {
  throw new NotFoundError(`The file "${id.slice(0, 64)}"`);
}
