// agent.yaml `notify:` (named targets: webhook, ntfy, Slack-compatible, SMTP) and a command's
// `notify:` (which targets hear of its runs' ends). Secrets are read from the environment
// variables the file names, when the file loads; a missing one is named, its value never shown.
import { z } from 'zod';
import type { ConfigIssue } from './agent-config.checks.js';
import type { CommandNotifySpec, NotifyTargetSpec, SecretEnv } from './agent-config.types.js';

// as agent-config.schema.ts's (imported from there it would be a cycle)
const NAME_RE = /^[a-z][a-z0-9-]{0,62}$/;
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const HEADER_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
// `bot@example.org`, or `Name <bot@example.org>`
const ADDRESS_RE = /^[^\s@<>",;]{1,64}@[A-Za-z0-9.-]{1,253}$/;
const NAMED_ADDRESS_RE = /^[^<>\r\n]{0,100}<([^<>\s]+)>$/;

const name = z.string().regex(NAME_RE, `must match ${NAME_RE.source}`);
const envName = z.string().regex(ENV_NAME_RE, 'must be an environment variable name');

/** The value of `env` variable `variable`, or an issue naming it (never a value). */
function fromEnv(
  variable: string,
  ctx: z.RefinementCtx,
  key: string,
  env: SecretEnv,
): string | undefined {
  const value = env(variable);
  if (value !== undefined && value !== '') return value;
  ctx.addIssue({
    code: 'custom',
    path: [key],
    message: `environment variable ${variable} is not set (the server reads this secret from it)`,
  });
  return undefined;
}

/** An http(s) URL; `shown: false` for one read from the environment (its value may hold a token). */
function urlProblem(value: string, shown: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return shown ? `"${value}" is not a URL` : 'is not a URL';
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return null;
  return `must be an http:// or https:// URL${shown ? ` (got ${url.protocol})` : ''}`;
}

export function addressProblem(value: string): string | null {
  const addr = NAMED_ADDRESS_RE.exec(value)?.[1] ?? value;
  return ADDRESS_RE.test(addr)
    ? null
    : `"${value.slice(0, 100)}" is not an email address (write bot@example.org or "Name <bot@example.org>")`;
}

const address = z.string().superRefine((v, ctx) => {
  const problem = addressProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** `url:` in the file or `urlEnv:` naming where it is; exactly one. */
function resolveUrl(
  t: { url?: string; urlEnv?: string },
  ctx: z.RefinementCtx,
  env: SecretEnv,
): string | undefined {
  if ((t.url === undefined) === (t.urlEnv === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message: 'give exactly one of url or urlEnv (an environment variable holding the URL)',
    });
    return undefined;
  }
  const value = t.url ?? fromEnv(t.urlEnv!, ctx, 'urlEnv', env);
  if (value === undefined) return undefined;
  const problem = urlProblem(value, t.url !== undefined);
  if (problem) {
    const key = t.url !== undefined ? 'url' : 'urlEnv';
    const prefix = key === 'urlEnv' ? `the value of ${t.urlEnv} ` : '';
    ctx.addIssue({ code: 'custom', path: [key], message: prefix + problem });
    return undefined;
  }
  return value;
}

const urlFields = { url: z.string().optional(), urlEnv: envName.optional() };

/** The `notify:` list; `env` is where secrets are read (the server's environment). */
export const notifyTargetsSchema = (env: SecretEnv) =>
  z.array(
    z
      .discriminatedUnion(
        'type',
        [
          z.strictObject({
            name,
            type: z.literal('webhook'),
            ...urlFields,
            headersEnv: z
              .record(z.string().regex(HEADER_RE, 'must be an HTTP header name'), envName)
              .default({}),
          }),
          z.strictObject({
            name,
            type: z.literal('ntfy'),
            ...urlFields,
            tokenEnv: envName.optional(),
            priority: z.int().min(1).max(5).optional(),
          }),
          z.strictObject({ name, type: z.literal('slack'), ...urlFields }),
          z.strictObject({
            name,
            type: z.literal('smtp'),
            host: z.string().regex(/^[A-Za-z0-9.:[\]-]{1,253}$/, 'must be a host name or address'),
            port: z.int().min(1).max(65535).optional(),
            secure: z.boolean().default(false),
            username: z.string().min(1).max(256).optional(),
            passwordEnv: envName.optional(),
            from: address,
            to: z.array(address).min(1).max(50),
          }),
        ],
        { error: 'must be one of: webhook, ntfy, slack, smtp' },
      )
      .transform((t, ctx): NotifyTargetSpec => {
        if (t.type === 'smtp') {
          const { passwordEnv, port, ...rest } = t;
          const password = passwordEnv ? fromEnv(passwordEnv, ctx, 'passwordEnv', env) : undefined;
          if (passwordEnv && !t.username)
            ctx.addIssue({
              code: 'custom',
              path: ['username'],
              message: 'passwordEnv needs a username',
            });
          return {
            ...rest,
            port: port ?? (t.secure ? 465 : 587),
            ...(password ? { password } : {}),
          };
        }
        const url = resolveUrl(t, ctx, env) ?? '';
        if (t.type === 'slack') return { name: t.name, type: 'slack', url };
        if (t.type === 'ntfy') {
          const token = t.tokenEnv ? fromEnv(t.tokenEnv, ctx, 'tokenEnv', env) : undefined;
          return {
            name: t.name,
            type: 'ntfy',
            url,
            ...(token ? { token } : {}),
            ...(t.priority ? { priority: t.priority } : {}),
          };
        }
        const headers: Record<string, string> = {};
        for (const [header, variable] of Object.entries(t.headersEnv)) {
          const value = fromEnv(variable, ctx, 'headersEnv', env);
          if (value !== undefined && /[\r\n\0]/.test(value))
            ctx.addIssue({
              code: 'custom',
              path: ['headersEnv', header],
              message: `the value of ${variable} must be one line`,
            });
          else if (value !== undefined) headers[header] = value;
        }
        return { name: t.name, type: 'webhook', url, headers };
      }),
  );

/** A command's `notify:` entries; the target names are checked against `notify:` in notifyIssues. */
export const commandNotifySchema: z.ZodType<CommandNotifySpec[], unknown> = z.array(
  z.strictObject({
    target: name,
    on: z
      .enum(['failure', 'success', 'always'], { error: 'must be one of: failure, success, always' })
      .default('failure'),
  }),
);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Across entries: duplicate target names, and a command's or trigger's target that is not in `notify:`. */
export function notifyIssues(raw: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const first = new Map<string, number>();
  list(raw.notify).forEach((t, i) => {
    const n = isRecord(t) && typeof t.name === 'string' ? t.name : undefined;
    if (n === undefined) return;
    const at = first.get(n);
    if (at === undefined) first.set(n, i);
    else
      issues.push({
        path: ['notify', i, 'name'],
        message: `duplicate notification target name "${n}" (also at notify[${at}])`,
      });
  });
  const unknown = (target: unknown, path: (string | number)[]) => {
    if (typeof target === 'string' && !first.has(target))
      issues.push({
        path,
        message: `unknown notification target "${target}": add it under the top-level notify: list${first.size ? ` (known: ${[...first.keys()].join(', ')})` : ''}`,
      });
  };
  list(raw.commands).forEach((c, i) => {
    if (!isRecord(c)) return;
    list(c.notify).forEach((n, j) => {
      if (isRecord(n)) unknown(n.target, ['commands', i, 'notify', j, 'target']);
    });
  });
  return issues;
}
