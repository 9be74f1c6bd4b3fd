import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { parseStorageUrl } from '../storage/storage-url.js';
import type { SecretEnv } from './agent-config.types.js';

const DEFAULT_TYPES = [
  'text/*',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-bzip2',
  'application/x-xz',
  'application/json',
].join(',');

const port = z.coerce.number().int().min(0).max(65535);
const dir = z
  .string()
  .min(1)
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ".." segments');
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

const envSchema = z.object({
  PORT: port.default(5000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: dir.default('./data'),
  LOGS_DIR: dir.default('./logs'),
  AGENT_CONFIG: dir.default('./agent.yaml'),
  DATABASE_URL: z
    .string()
    .refine(
      (v) => /^(postgres(ql)?:\/\/|sqlite:|file:|:memory:$)/.test(v),
      'must be postgres://… or sqlite:<path>',
    )
    .optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  STORAGE_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const spec = parseStorageUrl(v);
      if (typeof spec !== 'string') return spec;
      ctx.addIssue({ code: 'custom', message: spec });
      return z.NEVER;
    }),
  // for STORAGE_URL=s3://…; unset: the SDK's own chain (instance role, ~/.aws). Never logged
  AWS_ACCESS_KEY_ID: z
    .string()
    .regex(/^[\x21-\x7e]{1,256}$/, 'must be 1-256 visible characters')
    .optional(),
  AWS_SECRET_ACCESS_KEY: z
    .string()
    .regex(/^[\x21-\x7e]{1,256}$/, 'must be 1-256 visible characters')
    .optional(),
  ADMIN_USERNAME: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, "_", "." or "-"')
    .default('admin'),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(256).optional(),
  PUBLIC_ORIGIN: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    )
    .refine(
      (list) => list.every((o) => /^https?:\/\/[^/]+$/.test(o)),
      'must be origins like https://ops.example.com',
    ),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(104_857_600),
  UPLOAD_ALLOWED_TYPES: z
    .string()
    .default(DEFAULT_TYPES)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  UPLOAD_QUOTA_BYTES: z.coerce.number().int().positive().optional(),
  // all runs' stored output together: past it, runs go on but their further output is not kept
  OUTPUT_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 ** 3),
  AI_BASE_URL: url(['http:', 'https:']).optional(),
  AI_MODEL: z.string().min(1).optional(),
  AI_API_KEY: z.string().min(1).optional(),
  // 0 keeps every event forever
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  // a request body (JSON or upload) must bring REQUEST_BODY_MIN_BYTES in every window of this many seconds
  REQUEST_BODY_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(30),
  REQUEST_BODY_MIN_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024 * 1024)
    .default(1024),
  UPLOAD_CONCURRENCY_PER_USER: z.coerce.number().int().min(1).max(1000).default(4),
  METRICS_TOKEN: z
    .string()
    .regex(
      /^[\x21-\x7e]{16,256}$/,
      'must be 16-256 visible characters (no spaces), e.g. `openssl rand -hex 32`',
    )
    .optional(),
  METRICS_LISTEN: z
    .string()
    .transform((v, ctx) => {
      const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(v);
      const port = Number(m?.[3]);
      if (!m || port > 65535) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be host:port, e.g. 127.0.0.1:9464 or [::1]:9464',
        });
        return z.NEVER;
      }
      return { host: m[1] ?? m[2]!, port };
    })
    .optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // off: the stock library paths instead of api/src/fast/ (same behaviour, slower; for diagnosis)
  FAST_PATHS: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  // an instance whose lease is this old is gone: another one takes over its runs
  INSTANCE_LEASE_SECONDS: z.coerce.number().min(0.5).max(3600).default(15),
  // how often an instance renews its lease and looks for cancels and runs to take over
  INSTANCE_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(600).default(3),
  // a failed notification is tried again after 1, 6, 30, 180 and 720 times this (10 s … 2 h), then given up
  NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().min(0.001).max(3600).default(10),
});

export type Config = Omit<z.infer<typeof envSchema>, 'DATA_DIR' | 'LOGS_DIR' | 'AGENT_CONFIG'> & {
  DATA_DIR: string;
  LOGS_DIR: string;
  AGENT_CONFIG: string;
  /** session lifetimes; tests shorten them */
  sessionIdleSeconds: number;
  sessionMaxSeconds: number;
  /** a quiet WebSocket peer is pinged this often and dropped if it neither answers nor reads; tests shorten it */
  wsKeepAliveMs: number;
  /** each hook's `perMinute` is counted over this window; tests shorten it */
  hookWindowMs: number;
  /** the variables agent.yaml names for secrets (a hook's `secretEnv`); a function, so never logged whole */
  secretEnv: SecretEnv;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The only reader of the environment: validates every variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  // empty strings mean "unset", as a blank line in .env usually intends
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  // the SDK needs both or neither (then it uses its own chain: instance role, ~/.aws)
  const awsPair =
    !cleaned.AWS_ACCESS_KEY_ID !== !cleaned.AWS_SECRET_ACCESS_KEY
      ? [
          `${cleaned.AWS_ACCESS_KEY_ID ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'}: must be set together with the other AWS_ key (or neither)`,
        ]
      : [];
  if (!parsed.success || awsPair.length) {
    throw new ConfigError([
      ...(parsed.error?.issues ?? []).map((i) => {
        const name = String(i.path[0] ?? '');
        const shown =
          name && !/PASSWORD|KEY|SECRET|TOKEN|STORAGE_URL/.test(name) && cleaned[name] !== undefined
            ? ` (got "${cleaned[name]}")`
            : '';
        return `${name}: ${i.message}${shown}`;
      }),
      ...awsPair,
    ]);
  }
  const c = parsed.data;
  // two heartbeats fit in a lease: one late renewal must not hand an instance's runs away
  if (c.INSTANCE_HEARTBEAT_SECONDS * 2 > c.INSTANCE_LEASE_SECONDS)
    throw new ConfigError([
      `INSTANCE_HEARTBEAT_SECONDS: must be at most half of INSTANCE_LEASE_SECONDS (${c.INSTANCE_LEASE_SECONDS}) (got "${c.INSTANCE_HEARTBEAT_SECONDS}")`,
    ]);
  return {
    ...c,
    DATA_DIR: path.resolve(cwd, c.DATA_DIR),
    LOGS_DIR: path.resolve(cwd, c.LOGS_DIR),
    AGENT_CONFIG: path.resolve(cwd, c.AGENT_CONFIG),
    sessionIdleSeconds: 8 * 3600,
    sessionMaxSeconds: 7 * 24 * 3600,
    wsKeepAliveMs: 10_000,
    hookWindowMs: 60_000,
    secretEnv: (name) => cleaned[name],
  };
}

/** `.env` values fill in what the real environment does not set. */
export function readDotEnv(file: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}
