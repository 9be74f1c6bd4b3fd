import { AuditEventSchema } from '../modules/audit/audit-event.entity.js';
import { ApiTokenSchema } from '../modules/auth/api-token.entity.js';
import { SessionSchema } from '../modules/auth/session.entity.js';
import { CommandRunSchema, OutputChunkSchema } from '../modules/commands/command-run.entity.js';
import { StoredFileSchema } from '../modules/files/file.entity.js';
import { HookDeliverySchema } from '../modules/hooks/hook-delivery.entity.js';
import { NotificationSchema } from '../modules/notify/notification.entity.js';
import { TriggerFiringSchema } from '../modules/triggers/trigger.firing.entity.js';
import { ScheduleSlotSchema } from '../modules/schedules/schedule.slot.entity.js';
import { UserSchema } from '../modules/users/user.entity.js';

export const entities = [
  UserSchema,
  SessionSchema,
  ApiTokenSchema,
  CommandRunSchema,
  OutputChunkSchema,
  StoredFileSchema,
  AuditEventSchema,
  NotificationSchema,
  HookDeliverySchema,
  TriggerFiringSchema,
  ScheduleSlotSchema,
];
