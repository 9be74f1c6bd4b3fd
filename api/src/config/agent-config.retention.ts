// agent.yaml `retention:`: how long runs, output, uploads and audit events are kept.
import { z } from 'zod';
import { sizeSchema } from './agent-config.size.js';
import type { RetentionSpec } from './agent-config.types.js';

// 100 years: "forever" is written by leaving the key out
const DAYS = 'must be a whole number of days from 1 to 36500 (leave the key out to keep forever)';
const days = z.int({ error: DAYS }).min(1, { error: DAYS }).max(36_500, { error: DAYS });
const PER = 'must be a whole number of runs from 1 to 1000000 (leave the key out to keep them all)';
const perCommand = z.int({ error: PER }).min(1, { error: PER }).max(1_000_000, { error: PER });

export const retentionSchema: z.ZodType<RetentionSpec, unknown> = z.strictObject({
  runs: z.strictObject({ days: days.optional(), perCommand: perCommand.optional() }).prefault({}),
  outputBytes: sizeSchema().optional(),
  uploads: z.strictObject({ days: days.optional() }).prefault({}),
  audit: z.strictObject({ days: days.optional() }).prefault({}),
});
