import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export type NotifyEvent =
  'RUN_FAILED' | 'RUN_SUCCEEDED' | 'TRIGGER_FIRED' | 'APPROVAL_REQUESTED' | 'TEST';
/** PENDING until sent; SENDING while an instance holds it; FAILED after the last attempt */
export type NotificationStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED';

/** One message to one target: the outbox row an instance delivers, retried with backoff. */
export class Notification {
  id: string = randomUUID();
  target!: string;
  event!: NotifyEvent;
  subject!: string;
  body!: string;
  runId: string | null = null;
  firingId: string | null = null;
  status: NotificationStatus = 'PENDING';
  attempts = 0;
  nextAt: Date = new Date();
  lastError: string | null = null;
  createdAt: Date = new Date();
  sentAt: Date | null = null;
  claimedBy: string | null = null;
  claimedUntil: Date | null = null;
}

export const NotificationSchema = new EntitySchema<Notification>({
  class: Notification,
  tableName: 'notifications',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    target: { type: 'string', length: 64 },
    event: { type: 'string', length: 32 },
    subject: { type: 'string', length: 200 },
    body: { type: 'text' },
    runId: { type: 'string', fieldName: 'run_id', length: 36, nullable: true },
    firingId: { type: 'string', fieldName: 'firing_id', length: 36, nullable: true },
    status: { type: 'string', length: 12 },
    attempts: { type: 'integer' },
    nextAt: { type: 'datetime', fieldName: 'next_at' },
    lastError: { type: 'text', fieldName: 'last_error', nullable: true },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    sentAt: { type: 'datetime', fieldName: 'sent_at', nullable: true },
    claimedBy: { type: 'string', fieldName: 'claimed_by', length: 36, nullable: true },
    claimedUntil: { type: 'datetime', fieldName: 'claimed_until', nullable: true },
  },
});
