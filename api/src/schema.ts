import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './errors.schema.js';
import './modules/users/user.schema.js';
import './modules/auth/auth.schema.js';
import './modules/commands/command.schema.js';
import './modules/commands/output-checks.schema.js';
import './modules/files/file.schema.js';
import './modules/logs/log.schema.js';
import './modules/audit/audit.schema.js';
import './modules/retention/retention.schema.js';
import './modules/hooks/hook.schema.js';
import './modules/notify/notify.schema.js';
import './modules/triggers/trigger.schema.js';
import './modules/schedules/schedule.schema.js';
import './modules/explain/explain.schema.js';
import './modules/run-logs/run-logs.schema.js';
import './modules/approval/approval.schema.js';

export const schema = builder.toSchema();

/** The committed `schema/schema.graphql`: sorted, so diffs show real changes only. */
export const printedSchema = (): string => printSchema(lexicographicSortSchema(schema)) + '\n';
