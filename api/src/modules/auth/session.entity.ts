import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** A signed-in browser or login token. Only the sha256 of the secret is stored. */
export class Session {
  id: string = randomUUID();
  userId!: string;
  tokenHash!: string;
  createdAt: Date = new Date();
  lastSeenAt: Date = new Date();
  expiresAt!: Date;
}

export const SessionSchema = new EntitySchema<Session>({
  class: Session,
  tableName: 'sessions',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    userId: { type: 'string', fieldName: 'user_id', length: 36 },
    tokenHash: { type: 'string', fieldName: 'token_hash', unique: true, length: 64 },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    lastSeenAt: { type: 'datetime', fieldName: 'last_seen_at' },
    expiresAt: { type: 'datetime', fieldName: 'expires_at' },
  },
});
