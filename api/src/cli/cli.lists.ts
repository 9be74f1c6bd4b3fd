import { RUN_STATUSES } from '../modules/commands/run-status.js';
import { intFlag, parseCommand } from './cli.args.js';
import { gql } from './cli.client.js';
import { resolveTarget } from './cli.config.js';
import { CliCommands, CliRuns } from './cli.documents.js';
import { EXIT, UsageError } from './cli.errors.js';
import { printJson, table } from './cli.output.js';
import type { RunStatus } from './generated/graphql.js';

export const COMMANDS_HELP = `usage: tiny-agent commands [--json]

Lists the commands of agent.yaml your role may run, with their arguments.

  --json         the list as JSON (name, title, args with type, required, default, choices…)
  --url, --token`;

export const RUNS_HELP = `usage: tiny-agent runs [--command X] [--status S] [--first N] [--json]

Lists runs, newest first (yours; an admin sees everyone's).

  --command X    only runs of this command
  --status S     RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, INTERRUPTED,
                 PENDING_APPROVAL, REJECTED or EXPIRED
  --first N      how many (default 20, at most 100)
  --json         the list as JSON
  --url, --token`;

const STATUSES: readonly RunStatus[] = RUN_STATUSES;

export async function commands(argv: string[]): Promise<number> {
  const { values } = parseCommand('commands', argv, { json: { type: 'boolean' } });
  if (values.help) return (void process.stdout.write(COMMANDS_HELP + '\n'), EXIT.OK);
  const target = resolveTarget(values as { url?: string; token?: string }, process.env);
  const list = (await gql(target, CliCommands)).commands;
  if (values.json) return (void printJson(list), EXIT.OK);
  const rows = list.map((c) => [
    c.name,
    c.title,
    c.args
      .map(
        (a) =>
          `--${a.name} <${a.choices?.join('|') ?? a.type.toLowerCase()}>${a.required ? '' : '?'}`,
      )
      .join(' '),
  ]);
  process.stdout.write(
    (rows.length ? table([['NAME', 'TITLE', 'ARGUMENTS'], ...rows]) : 'no commands') + '\n',
  );
  return EXIT.OK;
}

export async function runs(argv: string[]): Promise<number> {
  const { values } = parseCommand('runs', argv, {
    command: { type: 'string' },
    status: { type: 'string' },
    first: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (void process.stdout.write(RUNS_HELP + '\n'), EXIT.OK);
  const status = (values.status as string | undefined)?.toUpperCase() as RunStatus | undefined;
  if (status && !STATUSES.includes(status))
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')}, got "${values.status}"`);
  const target = resolveTarget(values as { url?: string; token?: string }, process.env);
  const first = intFlag('first', values.first as string | undefined, 1, 100) ?? 20;
  const page = await gql(target, CliRuns, {
    first,
    command: values.command as string | undefined,
    status,
  });
  const list = page.commandRuns.edges.map((e) => e.node);
  if (values.json) return (void printJson(list), EXIT.OK);
  const rows = list.map((r) => [
    r.id,
    r.commandName,
    r.status,
    r.exitCode === null || r.exitCode === undefined ? (r.signal ?? '') : String(r.exitCode),
    r.startedAt,
    r.trigger === 'MANUAL'
      ? r.startedBy.username
      : `${r.trigger.toLowerCase()}:${r.triggerName ?? ''}`,
  ]);
  process.stdout.write(
    (rows.length
      ? table([['ID', 'COMMAND', 'STATUS', 'EXIT', 'STARTED', 'BY'], ...rows])
      : 'no runs') + '\n',
  );
  return EXIT.OK;
}
