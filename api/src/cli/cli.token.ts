import { intFlag, parseCommand } from './cli.args.js';
import { gql } from './cli.client.js';
import { resolveTarget } from './cli.config.js';
import { CliCreateToken } from './cli.documents.js';
import { EXIT, UsageError } from './cli.errors.js';

export const TOKEN_HELP = `usage: tiny-agent token create <name> [--expires-in-days N]

Creates an API token for your account and prints it, once: keep it where your script reads it
(TINY_AGENT_TOKEN). The server keeps only its hash; revoke it in the web UI.

  --expires-in-days N   it stops working after N days (default: never)
  --url, --token`;

export async function token(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === '--help' || action === '-h' || action === undefined)
    return (void process.stdout.write(TOKEN_HELP + '\n'), action ? EXIT.OK : EXIT.USAGE);
  if (action !== 'create')
    throw new UsageError(`unknown token action "${action}"; see \`tiny-agent token --help\`.`);
  const { values, positionals } = parseCommand(
    'token create',
    rest,
    { 'expires-in-days': { type: 'string' } },
    1,
  );
  if (values.help) return (void process.stdout.write(TOKEN_HELP + '\n'), EXIT.OK);
  const target = resolveTarget(values as { url?: string; token?: string }, process.env);
  const days = intFlag('expires-in-days', values['expires-in-days'] as string | undefined, 1, 3650);
  const { createApiToken } = await gql(target, CliCreateToken, {
    name: positionals[0]!,
    expiresInDays: days,
  });
  // the secret alone on stdout, so `TOKEN=$(tiny-agent token create ci)` works
  process.stdout.write(createApiToken.secret + '\n');
  process.stderr.write(
    `tiny-agent: token "${createApiToken.apiToken.name}" created${createApiToken.apiToken.expiresAt ? `, expires ${createApiToken.apiToken.expiresAt}` : ''}; it is shown only this once\n`,
  );
  return EXIT.OK;
}
