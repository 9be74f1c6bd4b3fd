import type { EntityManager, EntityName } from '@mikro-orm/core';
import { BadUserInputError } from '../errors.js';

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const MAX_FIRST = 100;

/**
 * Newest-first keyset paging on (a date column, id): stable while rows are added, and each page
 * is one indexed query. The cursor is opaque to clients (base64url of "iso-date|id").
 */
export async function newestFirst<T extends { id: string }, K extends keyof T & string>(
  em: EntityManager,
  entity: EntityName<T>,
  where: Record<string, unknown>,
  at: K,
  args: { first?: number | null; after?: string | null },
): Promise<Page<T>> {
  const first = Math.min(Math.max(args.first ?? 20, 1), MAX_FIRST);
  const cursorOf = (row: T) =>
    Buffer.from(`${(row[at] as Date).toISOString()}|${row.id}`).toString('base64url');
  const filter: Record<string, unknown> = { ...where };
  if (args.after) {
    const [iso, id] = Buffer.from(args.after, 'base64url').toString().split('|');
    const date = new Date(iso ?? '');
    if (!id || Number.isNaN(date.getTime()))
      throw new BadUserInputError('The `after` cursor is not one this server gave out.');
    filter.$or = [{ [at]: { $lt: date } }, { [at]: date, id: { $lt: id } }];
  }
  const rows = (await em.find(entity, filter as never, {
    orderBy: { [at]: 'desc', id: 'desc' } as never,
    limit: first + 1,
  })) as T[];
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: cursorOf(node), node })),
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: page.length ? cursorOf(page[page.length - 1]!) : null,
    },
  };
}
