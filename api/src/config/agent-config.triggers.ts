// agent.yaml `triggers:`: a log line matching a pattern runs a command and/or notifies.
// Shapes here (zod); checks against other entries (sources, commands, targets) in triggerIssues.
import { z } from 'zod';
import { logFilterSchema } from './agent-config.output-checks.js';
import { compileFilter } from '../modules/logs/log.filter.js';
import { namedGroups } from '../modules/triggers/trigger.match.js';
import type { ConfigIssue } from './agent-config.checks.js';
import { MAX_VALUE_LENGTH, placeholderNames, valueProblem } from './agent-config.rules.js';
import type { AgentConfig, TriggerSpec } from './agent-config.types.js';

const NAME_RE = /^[a-z][a-z0-9-]{0,62}$/;
const ARG_NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
// a week: longer quiet periods are better said by removing the trigger
const MAX_COOLDOWN = 7 * 24 * 3600;

const name = z.string().regex(NAME_RE, `must match ${NAME_RE.source}`);

const pattern = logFilterSchema;

const argValue = z
  .union([z.string(), z.number(), z.boolean()])
  .transform(String)
  .refine((v) => v.length <= MAX_VALUE_LENGTH, `must be at most ${MAX_VALUE_LENGTH} characters`);

export const triggerSchema = z
  .strictObject({
    name,
    source: name,
    pattern,
    cooldown: z.int().min(0).max(MAX_COOLDOWN).default(60),
    run: z
      .strictObject({
        command: name,
        args: z
          .record(z.string().regex(ARG_NAME_RE, `must match ${ARG_NAME_RE.source}`), argValue)
          .default({}),
      })
      .optional(),
    notify: z.array(name).max(20).default([]),
  })
  .superRefine((t, ctx) => {
    if (!t.run && t.notify.length === 0)
      ctx.addIssue({
        code: 'custom',
        message: 'does nothing: give it `run:` (a command), `notify:` (target names), or both',
      });
  })
  .transform((t): TriggerSpec => ({
    name: t.name,
    source: t.source,
    pattern: t.pattern,
    cooldownSeconds: t.cooldown,
    ...(t.run && {
      run: {
        command: t.run.command,
        args: Object.entries(t.run.args).map(([n, value]) => ({ name: n, value })),
      },
    }),
    notify: [...new Set(t.notify)],
  }));

export const triggersSchema = z.array(triggerSchema).default([]);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const namesOf = (v: unknown) =>
  new Set(list(v).flatMap((e) => (isRecord(e) && str(e.name) ? [str(e.name)!] : [])));

/**
 * What a trigger names must exist: its log source, its command and that command's arguments (no
 * `file` argument: a log line cannot name an upload), the pattern's named groups it uses, its
 * notify targets; and trigger names are unique. Run on the raw YAML, like crossCheck.
 */
export function triggerIssues(raw: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const sources = namesOf(raw.logs);
  const targets = namesOf(raw.notify);
  const commands = new Map(
    list(raw.commands).flatMap((c) => (isRecord(c) && str(c.name) ? [[str(c.name)!, c]] : [])),
  );
  const seen = new Map<string, number>();
  list(raw.triggers).forEach((t, i) => {
    if (!isRecord(t)) return;
    const at = ['triggers', i];
    const issue = (p: (string | number)[], message: string) =>
      issues.push({ path: [...at, ...p], message });
    const n = str(t.name);
    if (n !== undefined) {
      const first = seen.get(n);
      if (first === undefined) seen.set(n, i);
      else issue(['name'], `duplicate trigger name "${n}" (also at triggers[${first}])`);
    }
    const source = str(t.source);
    if (source !== undefined && !sources.has(source))
      issue(['source'], `unknown log source "${source}": not in \`logs:\``);
    list(t.notify).forEach((target, j) => {
      if (typeof target === 'string' && !targets.has(target))
        issue(['notify', j], `unknown notify target "${target}": not in \`notify:\``);
    });
    if (!isRecord(t.run)) return;
    const command = str(t.run.command);
    const spec = command === undefined ? undefined : commands.get(command);
    if (command !== undefined && !spec)
      issue(['run', 'command'], `unknown command "${command}": not in \`commands:\``);
    const declared = new Map(
      list(spec?.args).flatMap((a) => (isRecord(a) && str(a.name) ? [[str(a.name)!, a]] : [])),
    );
    const groups = groupsOf(str(t.pattern));
    for (const [arg, value] of Object.entries(isRecord(t.run.args) ? t.run.args : {})) {
      const where = ['run', 'args', arg];
      const argSpec = declared.get(arg);
      if (spec && !argSpec) issue(where, `command "${command}" has no argument "${arg}"`);
      else if (argSpec?.type === 'file')
        issue(where, `"${arg}" is a file argument: a trigger cannot give an uploaded file`);
      if (groups === null) continue; // the pattern itself is refused already
      for (const g of placeholderNames(typeof value === 'string' ? value : '')) {
        if (!groups.has(g))
          issue(where, `{{${g}}}: the pattern has no named group "${g}" (write (?<${g}>…))`);
      }
    }
  });
  return issues;
}

/** The pattern's named groups, or null when it does not compile. */
function groupsOf(p: string | undefined): Set<string> | null {
  if (p === undefined) return null;
  try {
    compileFilter(p);
    return new Set(namedGroups(p));
  } catch {
    return null;
  }
}

/**
 * Once the whole file parsed: a value with no capture in it is checked now by the argument's own
 * rules (it would be refused at every firing), and the command's required arguments must be given.
 */
export function triggerArgIssues(config: AgentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  config.triggers.forEach((t, i) => {
    const command = t.run && config.commands.find((c) => c.name === t.run!.command);
    if (!t.run || !command) return;
    const at = ['triggers', i, 'run'];
    for (const { name, value } of t.run.args) {
      const arg = command.args.find((a) => a.name === name);
      if (!arg || placeholderNames(value).length > 0) continue;
      const problem = valueProblem(arg, value);
      if (problem) issues.push({ path: [...at, 'args', name], message: `"${value}" ${problem}` });
    }
    const given = new Set(t.run.args.map((a) => a.name));
    for (const arg of command.args) {
      if (arg.required && !given.has(arg.name))
        issues.push({
          path: [...at, 'args'],
          message: `command "${command.name}" needs argument "${arg.name}": give it a value or a {{capture}}`,
        });
    }
  });
  return issues;
}
