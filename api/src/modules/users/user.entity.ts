import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export type Role = 'ADMIN' | 'USER';

/** The built-in account runs started by schedules, hooks and log triggers carry (automation.run.ts). */
export const AUTOMATION_USER_ID = '00000000-0000-4000-8000-00000000a770';
/** Not a name createUser accepts (no `@`), so no person can hold it. */
export const AUTOMATION_USERNAME = '@automation';

export class User {
  id: string = randomUUID();
  username!: string;
  passwordHash!: string;
  role: Role = 'USER';
  disabled = false;
  createdAt: Date = new Date();
  lastLoginAt: Date | null = null;
  /** bumped on disable, role change and password reset: cached identities compare it */
  authVersion = 0;
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    username: { type: 'string', unique: true, length: 64 },
    passwordHash: { type: 'string', fieldName: 'password_hash', length: 255 },
    role: { type: 'string', length: 8 },
    disabled: { type: 'boolean' },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    lastLoginAt: { type: 'datetime', fieldName: 'last_login_at', nullable: true },
    authVersion: { type: 'integer', fieldName: 'auth_version' },
  },
});
