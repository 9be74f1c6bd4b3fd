// agent.yaml `approval:` on a command: a second person must approve each run before it starts.
import { z } from 'zod';
import type { ApprovalSpec, CommandSpec } from './agent-config.types.js';

const DEFAULT_MS = 30 * 60_000;
const MAX_MS = 7 * 24 * 3600_000;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };
const DURATION =
  'must be a duration from 1s to 7d: seconds (1800) or a number with s, m, h or d (30m, 2h, 1d)';

/** `30m`, `2h`, `1d`, `90s` or plain seconds → milliseconds; null when it is none of those. */
export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value * 1000 : null;
  const m = /^\s*(\d{1,9})\s*([smhd]?)\s*$/i.exec(value);
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[(m[2] || 's').toLowerCase()]!;
  return ms > 0 ? ms : null;
}

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null || ms > MAX_MS) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} ${DURATION}` });
    return z.NEVER;
  }
  return ms;
});

/** `required: false` (or no `approval:`) means none: the command runs when asked. */
export const approvalSchema = z
  .strictObject({
    required: z.boolean().default(true),
    approvers: z
      .array(z.enum(['admin', 'user']))
      .min(1)
      .default(['admin'])
      .transform((r) => [...new Set(r)]),
    // zod 4 takes a default as the output: milliseconds
    expiresAfter: duration.default(DEFAULT_MS),
  })
  .transform((a): ApprovalSpec | undefined =>
    a.required ? { approvers: a.approvers, expiresAfterMs: a.expiresAfter } : undefined,
  );

/** A file could change between the request and the approval: such a command takes none. */
export function checkApproval(spec: CommandSpec, ctx: z.RefinementCtx): void {
  if (!spec.approval) return;
  spec.args.forEach((arg, i) => {
    if (arg.type === 'file')
      ctx.addIssue({
        code: 'custom',
        path: ['args', i, 'type'],
        message:
          'a command with approval cannot take a file argument (the file could change between the request and the approval)',
      });
  });
}
