#!/usr/bin/env node
// `tiny-agent`: the command-line client (npx tiny-agent --help).
import { commands, runs } from './cli.lists.js';
import { CliError, EXIT } from './cli.errors.js';
import { login } from './cli.login.js';
import { logs } from './cli.logs.js';
import { runCommand } from './cli.run.js';
import { token } from './cli.token.js';
import { upload } from './cli.upload.js';

const HELP = `usage: tiny-agent <command> [options]

  login                        sign in and store an API token for the next commands
  commands [--json]            the commands you may run
  run <name> [--<arg> <v>]…    run one, streaming its output; exits with its exit code
  runs [--command X] [--status S] [--first N] [--json]
  logs <source> [--follow] [--filter F] [--lines N]
  upload <file>                upload a file; prints its id for a command's file argument
  token create <name>          create an API token (printed once)

Every command takes --url and --token; else TINY_AGENT_URL and TINY_AGENT_TOKEN; else the file
that \`login\` wrote. \`tiny-agent <command> --help\` says more.
Exit codes: 64 usage, 65 refused by the server, 69 server unreachable, 75 try again later
(CONFLICT, RATE_LIMITED), 77 not signed in or not allowed, 78 unsafe config file.`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  login,
  commands,
  run: runCommand,
  runs,
  logs,
  upload,
  token,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP + '\n');
    return EXIT.OK;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    process.stderr.write(
      `${name === undefined ? 'tiny-agent: a command is needed' : `tiny-agent: unknown command "${name}"`}\n\n${HELP}\n`,
    );
    return EXIT.USAGE;
  }
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`tiny-agent: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`tiny-agent: unexpected failure: ${(err as Error)?.stack ?? err}\n`);
      process.exitCode = EXIT.SERVER;
    }
  },
);
