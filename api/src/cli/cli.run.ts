import { constants } from 'node:os';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { parseRunArgs } from './cli.args.js';
import { gql, subscribeOnce } from './cli.client.js';
import { resolveTarget, type Target } from './cli.config.js';
import { CliRunCommand, CliCommandOutput, CliRunEnd } from './cli.documents.js';
import { CliError, EXIT, UnreachableError } from './cli.errors.js';
import { write } from './cli.output.js';
import { resumeUntilComplete } from './cli.resume.js';

export const RUN_HELP = `usage: tiny-agent run <command> [--<arg> <value>]… [--detach]

Runs a command of agent.yaml and streams its output: the program's stdout to stdout and its
stderr to stderr, as they come. Exits with the program's exit code (128 + the signal number when
a signal killed it); 124 when it timed out, 125 when it was cancelled, 123 when the server
stopped while it ran, 127 when it could not start. A command that needs approval waits (said on
stderr) until another person approves it; 126 when it was rejected or its approval expired. A dropped connection is resumed where it
stopped (for up to 60 s). Ctrl-C stops following; the run goes on.

  --<arg> <value>    an argument of the command (--<arg>=<value> also; a bare --<arg> is "true")
  --arg <name=value> an argument whose name the CLI uses itself (url, token, detach, help)
  --detach           print the run id and exit at once
  --url, --token     the server and API token (else TINY_AGENT_URL / TINY_AGENT_TOKEN, else the
                     file \`tiny-agent login\` wrote)`;

type Run = NonNullable<ResultOf<typeof CliRunEnd>['commandRun']>;

export async function runCommand(argv: string[]): Promise<number> {
  const { own, name, args } = parseRunArgs(argv);
  if (own.help) return help();
  const target = resolveTarget(own, process.env);
  const started = await gql(target, CliRunCommand, { name, args });
  const runId = started.runCommand.id;
  if (own.detach) {
    process.stdout.write(runId + '\n');
    return EXIT.OK;
  }
  if (started.runCommand.status === 'PENDING_APPROVAL')
    process.stderr.write(`tiny-agent: run ${runId} is waiting for approval…\n`);
  process.once('SIGINT', () => {
    process.stderr.write(`\ntiny-agent: stopped following; run ${runId} goes on on the server\n`);
    process.exit(EXIT.SIGINT);
  });
  let lastSeq: number | undefined;
  await resumeUntilComplete(
    (onConnected) =>
      subscribeOnce(
        target,
        CliCommandOutput,
        { runId, afterSeq: lastSeq },
        async ({ commandOutput: chunk }) => {
          if (lastSeq !== undefined && chunk.seq <= lastSeq) return; // already written
          lastSeq = chunk.seq;
          await write(chunk.stream === 'STDERR' ? process.stderr : process.stdout, chunk.data);
        },
        onConnected,
      ),
    {
      url: target.url,
      retryFirst: true, // the run exists: its output is worth waiting for
      position: () => `run ${runId} after output seq ${lastSeq ?? 0}`,
    },
  );
  const run = await finalRun(target, runId);
  const code = exitCodeOf(run);
  // an end the program did not choose is said once, on stderr after its own output
  if (run.status !== 'SUCCEEDED' && (run.status !== 'FAILED' || run.exitCode === null))
    process.stderr.write(
      `tiny-agent: run ${runId} ${run.status}${run.signal ? ` (${run.signal})` : ''}${run.error ? `: ${run.error}` : ''}; exit ${code}\n`,
    );
  return code;
}

function help(): number {
  process.stdout.write(RUN_HELP + '\n');
  return EXIT.OK;
}

/** The run once it has ended (the stream completes at its end; a restart may still be settling). */
async function finalRun(target: Target, id: string): Promise<Run> {
  const deadline = Date.now() + 60_000;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      const run = (await gql(target, CliRunEnd, { id })).commandRun;
      if (!run) throw new CliError(`run ${id} is gone`, EXIT.REFUSED);
      if (run.status !== 'RUNNING' && run.status !== 'PENDING_APPROVAL') return run;
    } catch (err) {
      if (!(err instanceof UnreachableError) || Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new CliError(`run ${id} still runs`, EXIT.TEMPFAIL);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** The run's end as an exit code a shell script can test. */
export function exitCodeOf(run: Pick<Run, 'status' | 'exitCode' | 'signal' | 'error'>): number {
  switch (run.status) {
    case 'SUCCEEDED':
      return EXIT.OK;
    case 'TIMED_OUT':
      return EXIT.TIMED_OUT;
    case 'CANCELLED':
      return EXIT.CANCELLED;
    case 'INTERRUPTED':
      return EXIT.INTERRUPTED;
    case 'REJECTED':
    case 'EXPIRED':
      return EXIT.NOT_APPROVED;
  }
  if (run.signal) {
    const n = constants.signals[run.signal as keyof typeof constants.signals];
    if (n) return 128 + n;
  }
  if (run.exitCode !== null && run.exitCode !== undefined) return run.exitCode || 1; // failOn: code 0, yet FAILED
  return EXIT.NOT_STARTED;
}
