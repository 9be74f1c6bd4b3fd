import { gql, subscribeOnce } from './cli.client.js';
import { parseCommand, intFlag } from './cli.args.js';
import { resolveTarget } from './cli.config.js';
import { CliLogLines, CliLogTail } from './cli.documents.js';
import { EXIT } from './cli.errors.js';
import { write } from './cli.output.js';
import { resumeUntilComplete } from './cli.resume.js';

export const LOGS_HELP = `usage: tiny-agent logs <source> [--lines N] [--filter F] [--follow]

Prints the last lines of a log source of agent.yaml; with --follow, then the new ones as they
are written, resuming after the last line printed when the connection drops (for up to 60 s).

  --lines N    how many lines first (default 10; at most 5000)
  --filter F   only lines containing F, or matching /regex/ (optional i flag)
  --follow, -f keep printing new lines until Ctrl-C
  --url, --token`;

interface Line {
  cursor: string;
  kind: string;
  text: string;
  droppedCount?: number | null;
}

export async function logs(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    'logs',
    argv,
    {
      lines: { type: 'string', short: 'n' },
      filter: { type: 'string' },
      follow: { type: 'boolean', short: 'f' },
    },
    1,
  );
  if (values.help) return (void process.stdout.write(LOGS_HELP + '\n'), EXIT.OK);
  const target = resolveTarget(values as { url?: string; token?: string }, process.env);
  const source = positionals[0]!;
  const lines = intFlag('lines', values.lines as string | undefined, 0, 5000) ?? 10;
  const filter = (values.filter as string | undefined) || undefined;
  if (!values.follow) {
    const page = await gql(target, CliLogLines, { source, last: lines, filter });
    for (const line of page.logLines) await print(line);
    return EXIT.OK;
  }
  let after: string | undefined;
  process.once('SIGINT', () => process.exit(EXIT.OK)); // following ends with Ctrl-C, as tail -f
  await resumeUntilComplete(
    (onConnected) =>
      subscribeOnce(
        target,
        CliLogTail,
        // first the backfill, then (after a drop) exactly what followed the last line printed
        after ? { source, after, filter } : { source, backfill: lines, filter },
        async ({ logTail }) => {
          await print(logTail);
          after = logTail.cursor;
        },
        onConnected,
      ),
    { url: target.url, position: () => (after ? 'after the last line printed' : 'from the start') },
  );
  return EXIT.OK;
}

/** A line on stdout; the file's own events (rotation, skipped lines) on stderr. */
async function print(line: Line): Promise<void> {
  if (line.kind === 'LINE') return write(process.stdout, line.text + '\n');
  const what =
    line.kind === 'DROPPED'
      ? `${line.droppedCount ?? 'some'} lines skipped (this reader fell behind)`
      : line.kind === 'ROTATED'
        ? 'the log was rotated; reading the new file'
        : 'the log was truncated; reading from its start';
  await write(process.stderr, `tiny-agent: ${what}\n`);
}
