// zod schema for agent.yaml: shapes, defaults and per-field checks. Cross-entry checks
// (unique names, placeholders) live in agent-config.checks.ts so they run even when a field fails.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { approvalSchema, checkApproval } from './agent-config.approval.js';
import { confirmSchema, groupSchema, iconSchema } from './agent-config.display.js';
import { hooksSchema } from './agent-config.hooks.js';
import { commandNotifySchema, notifyTargetsSchema } from './agent-config.notify.js';
import { extractSchema, failOnSchema, successOnSchema } from './agent-config.output-checks.js';
import { canonicalLogPath } from './agent-config.paths.js';
import { retentionSchema } from './agent-config.retention.js';
import { checkSchedules, schedulesSchema, withIds } from './agent-config.schedules.js';
import { triggersSchema } from './agent-config.triggers.js';
import { valueProblem } from './agent-config.rules.js';
import { sizeSchema } from './agent-config.size.js';
import { watchLogsSchema } from './agent-config.watch-logs.js';
import type {
  AgentConfig,
  CommandArgSpec,
  CommandSpec,
  LogSourceSpec,
  SecretEnv,
} from './agent-config.types.js';

export const NAME_RE = /^[a-z][a-z0-9-]{0,62}$/;
export const ARG_NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_PATTERN_LENGTH = 512;
const MiB = 1024 * 1024;

const noNul = (s: string) => !s.includes('\0');
const name = z.string().regex(NAME_RE, `must match ${NAME_RE.source}`);
const roles = z
  .array(z.enum(['admin', 'user']))
  .min(1)
  .default(['admin'])
  .transform((r) => [...new Set(r)]);

// Compiled alone first: `a)|(b` would otherwise escape the ^(?:…)$ wrapper.
const pattern = z
  .string()
  .min(1)
  .max(MAX_PATTERN_LENGTH)
  .transform((source, ctx) => {
    try {
      new RegExp(source, 'u');
      return { source, regex: new RegExp(`^(?:${source})$`, 'u') };
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        message: `invalid regular expression (${(err as Error).message})`,
      });
      return z.NEVER;
    }
  });

/** An existing directory, relative to the config folder, canonicalised. */
const directory = (baseDir: string) =>
  z
    .string()
    .min(1)
    .transform(async (p, ctx) => {
      const abs = path.resolve(baseDir, p);
      try {
        const real = await realpath(abs);
        if ((await stat(real)).isDirectory()) return real;
        ctx.addIssue({ code: 'custom', message: `${abs} is not a directory` });
      } catch {
        ctx.addIssue({ code: 'custom', message: `${abs} does not exist` });
      }
      return z.NEVER;
    });

const argCommon = {
  name: z.string().regex(ARG_NAME_RE, `must match ${ARG_NAME_RE.source}`),
  description: z.string().optional(),
  required: z.boolean().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
  allowDash: z.boolean().default(false),
};

const argSchema = (baseDir: string) =>
  z
    .discriminatedUnion(
      'type',
      [
        z.strictObject({
          ...argCommon,
          type: z.literal('string'),
          pattern: pattern.optional(),
          maxLength: z.int().min(1).max(65536).default(256),
        }),
        z.strictObject({
          ...argCommon,
          type: z.literal('int'),
          min: z.int().optional(),
          max: z.int().optional(),
        }),
        z.strictObject({ ...argCommon, type: z.literal('boolean') }),
        z.strictObject({
          ...argCommon,
          type: z.literal('enum'),
          choices: z.array(z.string().refine(noNul, 'must not contain NUL bytes')).min(1),
        }),
        z.strictObject({
          ...argCommon,
          type: z.literal('path'),
          roots: z.array(directory(baseDir)).min(1),
        }),
        z.strictObject({ ...argCommon, type: z.literal('file') }),
      ],
      { error: 'must be one of: string, int, boolean, enum, path, file' },
    )
    .transform((a): CommandArgSpec => {
      const required = a.required ?? a.default === undefined;
      if (a.type !== 'string') return { ...a, required };
      const { pattern: p, ...rest } = a;
      return p ? { ...rest, required, pattern: p.source, regex: p.regex } : { ...rest, required };
    })
    .superRefine(checkArg);

/** Consistency within one argument: a default must itself be acceptable, bounds must make sense. */
function checkArg(arg: CommandArgSpec, ctx: z.RefinementCtx) {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  if (arg.type === 'int' && arg.min !== undefined && arg.max !== undefined && arg.min > arg.max)
    issue('max', 'must not be less than min');
  if (arg.type === 'int' && arg.min !== undefined && arg.min < 0 && !arg.allowDash)
    issue('min', 'negative values need allowDash: true');
  if (arg.type === 'enum') {
    arg.choices.forEach((c, i) => {
      if (c.startsWith('-') && !arg.allowDash)
        ctx.addIssue({
          code: 'custom',
          path: ['choices', i],
          message: 'a choice starting with "-" needs allowDash: true',
        });
    });
  }
  if (arg.default === undefined) return;
  if (arg.type === 'file') return issue('default', 'a file argument cannot have a default');
  if (arg.required) return issue('required', 'a default is never used when required is true');
  const problem = valueProblem(arg, arg.default);
  if (problem) issue('default', problem);
}

const commandSchema = (baseDir: string) =>
  z
    .strictObject({
      name,
      title: z.string().min(1),
      description: z.string().optional(),
      argv: z
        .array(z.string().refine(noNul, 'must not contain NUL bytes'))
        .min(1)
        .refine((a) => a[0] !== '', 'argv[0] must name a program'),
      args: z.array(argSchema(baseDir)).default([]),
      timeout: z
        .number()
        .positive()
        .max(7 * 24 * 3600)
        .default(60),
      maxConcurrent: z.int().min(1).max(1000).default(1),
      roles,
      cwd: directory(baseDir).optional(),
      env: z
        .record(
          z.string().regex(ENV_KEY_RE, `must match ${ENV_KEY_RE.source}`),
          z.string().refine(noNul, 'must not contain NUL bytes'),
        )
        .default({}),
      // the run's whole output is kept up to this (bytes, or 512MiB, 1GiB); 1 GiB at most
      maxOutputBytes: sizeSchema(1, 1024 * MiB).default(1024 * MiB),
      group: groupSchema.optional(),
      icon: iconSchema.optional(),
      confirm: confirmSchema,
      schedules: schedulesSchema,
      notify: commandNotifySchema.default([]),
      approval: approvalSchema.optional(),
      failOn: failOnSchema,
      successOn: successOnSchema,
      extract: extractSchema,
      watchLogs: watchLogsSchema,
    })
    .transform((c): CommandSpec => {
      const { cwd, confirm, schedules, ...rest } = c;
      const shown =
        typeof confirm === 'string' ? { confirm: true, confirmMessage: confirm } : { confirm };
      const own = { ...rest, ...shown, schedules: withIds(c.name, schedules) };
      return cwd === undefined ? own : { ...own, cwd };
    })
    .superRefine(checkSchedules)
    .superRefine(checkApproval);

const logSchema = (baseDir: string) =>
  z
    .strictObject({
      name,
      path: z.string().min(1).refine(noNul, 'must not contain NUL bytes'),
      roles,
      // auto: JSON when most of the file's last lines are JSON objects (log.format.ts)
      format: z
        .enum(['text', 'json', 'auto'], { error: 'must be one of: text, json, auto' })
        .default('auto'),
    })
    .transform(async (l): Promise<LogSourceSpec> => ({
      ...l,
      path: await canonicalLogPath(path.resolve(baseDir, l.path)),
    }));

/** The whole file; `baseDir` is the folder relative paths are resolved against. Parse with parseAsync. */
export const agentConfigSchema = (
  baseDir: string,
  env: SecretEnv = () => undefined,
): z.ZodType<AgentConfig, unknown> =>
  z.strictObject({
    commands: z.array(commandSchema(baseDir)).default([]),
    logs: z.array(logSchema(baseDir)).default([]),
    limits: z
      .strictObject({
        maxRunning: z.int().min(1).max(10_000).default(8),
        // a UI with several tabs holds a handful of each; these stop one identity from holding thousands
        subscriptionsPerSocket: z.int().min(1).max(100_000).default(100),
        subscriptionsPerUser: z.int().min(1).max(100_000).default(200),
        socketsPerUser: z.int().min(1).max(100_000).default(20),
      })
      .prefault({}),
    retention: retentionSchema.prefault({}),
    hooks: hooksSchema(env),
    triggers: triggersSchema,
    // secrets come from the server's environment, named in the file
    notify: notifyTargetsSchema(env).default([]),
  });
