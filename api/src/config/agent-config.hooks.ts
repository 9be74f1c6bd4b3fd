// agent.yaml `hooks:`: signed webhooks, `POST /hooks/<name>`, each bound to one command of the
// file. The secret is read from the environment variable the hook names, when the file loads.
import { z } from 'zod';
import type { ConfigIssue } from './agent-config.checks.js';
import type { HookSpec, SecretEnv } from './agent-config.types.js';

const NAME_RE = /^[a-z][a-z0-9-]{0,62}$/;
const ARG_NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
// `repository.full_name`: object keys joined by dots, no array indexes or wildcards
const FIELD_RE = /^[A-Za-z0-9_$-]{1,64}(\.[A-Za-z0-9_$-]{1,64}){0,7}$/;
/** A shorter secret is guessable offline from one signed request. */
export const MIN_SECRET_BYTES = 16;

const hookSchema = (env: SecretEnv) =>
  z
    .strictObject({
      name: z.string().regex(NAME_RE, `must match ${NAME_RE.source}`),
      command: z.string().min(1),
      secretEnv: z.string().regex(ENV_KEY_RE, 'must be an environment variable name'),
      style: z
        .enum(['tiny-agent', 'github'], { error: 'must be one of: tiny-agent, github' })
        .default('tiny-agent'),
      args: z
        .record(
          z.string().regex(ARG_NAME_RE, `must match ${ARG_NAME_RE.source}`),
          z
            .string()
            .regex(
              FIELD_RE,
              'must be a dotted path of JSON body fields, like repository.full_name',
            ),
        )
        .default({}),
      perMinute: z.int().min(1).max(10_000).default(30),
    })
    .transform((h, ctx): HookSpec => {
      const secret = env(h.secretEnv) ?? '';
      // the variable's name only: its value never reaches a message
      if (secret === '')
        ctx.addIssue({
          code: 'custom',
          path: ['secretEnv'],
          message: `the environment variable ${h.secretEnv} is not set: set it to a random secret of at least ${MIN_SECRET_BYTES} bytes (openssl rand -hex 32)`,
        });
      else if (Buffer.byteLength(secret) < MIN_SECRET_BYTES)
        ctx.addIssue({
          code: 'custom',
          path: ['secretEnv'],
          message: `the environment variable ${h.secretEnv} holds fewer than ${MIN_SECRET_BYTES} bytes: use a longer random secret (openssl rand -hex 32)`,
        });
      const args = Object.entries(h.args).map(([name, field]) => ({ name, field }));
      return { ...h, args, secret };
    });

export const hooksSchema = (env: SecretEnv) => z.array(hookSchema(env)).default([]);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Hooks against the commands of the same file: unique names, a known command, only its declared
 * arguments, no `file` argument (a body cannot name an upload), every required argument mapped.
 */
export function checkHooks(raw: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const commands = new Map<string, Record<string, unknown>>();
  for (const c of list(raw.commands))
    if (isRecord(c) && typeof c.name === 'string' && !commands.has(c.name)) commands.set(c.name, c);
  const seen = new Map<string, number>();
  list(raw.hooks).forEach((hook, i) => {
    if (!isRecord(hook)) return;
    const at = ['hooks', i];
    if (typeof hook.name === 'string') {
      const first = seen.get(hook.name);
      if (first === undefined) seen.set(hook.name, i);
      else
        issues.push({
          path: [...at, 'name'],
          message: `duplicate hook name "${hook.name}" (also at hooks[${first}])`,
        });
    }
    if (typeof hook.command !== 'string') return;
    const command = commands.get(hook.command);
    if (!command) {
      issues.push({
        path: [...at, 'command'],
        message: `no command named "${hook.command}" in this file`,
      });
      return;
    }
    const declared = new Map<string, Record<string, unknown>>();
    for (const a of list(command.args))
      if (isRecord(a) && typeof a.name === 'string') declared.set(a.name, a);
    const mapped = isRecord(hook.args) ? Object.keys(hook.args) : [];
    for (const name of mapped) {
      const arg = declared.get(name);
      if (!arg)
        issues.push({
          path: [...at, 'args', name],
          message: `the command "${hook.command}" has no argument named "${name}"`,
        });
      else if (arg.type === 'file')
        issues.push({
          path: [...at, 'args', name],
          message: `"${name}" is a file argument: a webhook body cannot name an uploaded file`,
        });
    }
    for (const [name, arg] of declared) {
      const required = arg.required ?? arg.default === undefined;
      if (required !== true || mapped.includes(name)) continue;
      issues.push({
        path: [...at, 'args'],
        message:
          arg.type === 'file'
            ? `the command "${hook.command}" needs the file argument "${name}", which a webhook cannot give`
            : `the command "${hook.command}" needs the argument "${name}": map it to a body field (args: { ${name}: <field> }) or give it a default`,
      });
    }
  });
  return issues;
}
