import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** A named, revocable token for scripts. Only the sha256 of the secret is stored. */
export class ApiToken {
  id: string = randomUUID();
  userId!: string;
  name!: string;
  tokenHash!: string;
  createdAt: Date = new Date();
  expiresAt: Date | null = null;
  lastUsedAt: Date | null = null;
  revokedAt: Date | null = null;
}

export const ApiTokenSchema = new EntitySchema<ApiToken>({
  class: ApiToken,
  tableName: 'api_tokens',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    userId: { type: 'string', fieldName: 'user_id', length: 36 },
    name: { type: 'string', length: 100 },
    tokenHash: { type: 'string', fieldName: 'token_hash', unique: true, length: 64 },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    expiresAt: { type: 'datetime', fieldName: 'expires_at', nullable: true },
    lastUsedAt: { type: 'datetime', fieldName: 'last_used_at', nullable: true },
    revokedAt: { type: 'datetime', fieldName: 'revoked_at', nullable: true },
  },
});
