import { EntitySchema } from '@mikro-orm/core';

/**
 * One accepted signed request: its signature is the key, so the same request again (a replay) is
 * refused by the database on every instance. Kept at least 10 minutes, then swept.
 */
export class HookDelivery {
  hook!: string;
  /** hex of the request's HMAC-SHA256 */
  signature!: string;
  receivedAt: Date = new Date();
  /** the run it started; null while starting, and when the start was refused */
  runId: string | null = null;
}

export const HookDeliverySchema = new EntitySchema<HookDelivery>({
  class: HookDelivery,
  tableName: 'hook_deliveries',
  properties: {
    hook: { type: 'string', primary: true, length: 64 },
    signature: { type: 'string', primary: true, length: 64 },
    receivedAt: { type: 'datetime', fieldName: 'received_at' },
    runId: { type: 'string', fieldName: 'run_id', length: 36, nullable: true },
  },
});
