import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** What an audit event records; the GraphQL enum lists the same names. Append only: never rename one. */
export const AUDIT_ACTIONS = [
  'SIGN_IN',
  'SIGN_IN_FAILED',
  'SIGN_IN_LIMITED',
  'SIGN_OUT',
  'SESSIONS_ENDED',
  'PASSWORD_CHANGED',
  'USER_CREATED',
  'USER_UPDATED',
  'USER_DELETED',
  'TOKEN_CREATED',
  'TOKEN_REVOKED',
  'RUN_STARTED',
  'RUN_CANCELLED',
  'FILE_UPLOADED',
  'FILE_DOWNLOADED',
  'FILE_DELETED',
  'CONFIG_RELOADED',
  'CONFIG_REFUSED',
  'HOOK_REFUSED',
  'RUN_EXPLAINED',
  'LOG_EXPLAINED',
  'RUN_APPROVAL_REQUESTED',
  'RUN_APPROVED',
  'RUN_REJECTED',
  'RUN_EXPIRED',
  'RUN_APPROVAL_WITHDRAWN',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did what, when, from where. Rows are only ever inserted (and removed by retention). */
export class AuditEvent {
  id: string = randomUUID();
  at: Date = new Date();
  action!: AuditAction;
  /** null for the server itself (config reload) or an unknown user (failed sign-in) */
  actorId: string | null = null;
  /** the name as given at the time: kept when the user is deleted, or when no user matched */
  actorName: string | null = null;
  ip: string | null = null;
  /** what was acted on: a user, token, run or file id, a command or config path */
  target: string | null = null;
  /** a short JSON object of facts (argv, changed fields, reason) */
  detail: string | null = null;
}

export const AuditEventSchema = new EntitySchema<AuditEvent>({
  class: AuditEvent,
  tableName: 'audit_events',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    at: { type: 'datetime' },
    action: { type: 'string', length: 32 },
    actorId: { type: 'string', fieldName: 'actor_id', length: 36, nullable: true },
    actorName: { type: 'string', fieldName: 'actor_name', length: 64, nullable: true },
    ip: { type: 'string', length: 64, nullable: true },
    target: { type: 'string', length: 256, nullable: true },
    detail: { type: 'text', nullable: true },
  },
});
