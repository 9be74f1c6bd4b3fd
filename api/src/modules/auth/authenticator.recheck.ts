import type { MikroORM } from '@mikro-orm/core';
import { User } from '../users/user.entity.js';
import { ApiToken } from './api-token.entity.js';
import type { Watch } from './authenticator.js';
import { Session } from './session.entity.js';

// ids per query: far below every database's limit on bound parameters
const BATCH = 500;

/** The watched identities whose credential or user no longer holds, read from the database. */
export async function recheckWatched(orm: MikroORM, watched: Watch[]): Promise<Watch[]> {
  const em = orm.em.fork();
  const now = Date.now();
  const live = new Set<string>(); // credential ids still valid
  const users = new Map<string, User>();
  const ids = (kind: 'session' | 'apiToken') => [
    ...new Set(watched.filter((w) => w.viewer.kind === kind).map((w) => w.viewer.credentialId)),
  ];
  for (const batch of chunks(ids('session'))) {
    for (const s of await em.find(Session, { id: { $in: batch } }))
      if (s.expiresAt.getTime() > now) live.add(s.id); // idleness: an open stream is use
  }
  for (const batch of chunks(ids('apiToken'))) {
    for (const t of await em.find(ApiToken, { id: { $in: batch }, revokedAt: null }))
      if (!t.expiresAt || t.expiresAt.getTime() > now) live.add(t.id);
  }
  for (const batch of chunks([...new Set(watched.map((w) => w.viewer.userId))])) {
    for (const u of await em.find(User, { id: { $in: batch } })) users.set(u.id, u);
  }
  return watched.filter((w) => {
    const user = users.get(w.viewer.userId);
    return (
      !live.has(w.viewer.credentialId) || !user || user.disabled || user.role !== w.viewer.role
    );
  });
}

function* chunks<T>(list: T[]): Generator<T[]> {
  for (let i = 0; i < list.length; i += BATCH) yield list.slice(i, i + BATCH);
}
