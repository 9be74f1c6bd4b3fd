import { hostname } from 'node:os';
import { parseCommand } from './cli.args.js';
import { gql } from './cli.client.js';
import { configPath, DEFAULT_URL, normalizeUrl, readStored, writeStored } from './cli.config.js';
import { CliCreateToken, CliLogin, CliLogout } from './cli.documents.js';
import { EXIT, UsageError } from './cli.errors.js';
import { ask, askSecret, readStdin } from './cli.prompt.js';

export const LOGIN_HELP = `usage: tiny-agent login [--url URL] [--username NAME] [--password-stdin]

Signs in, creates an API token named cli@<this host> and stores the URL and the token in
$XDG_CONFIG_HOME/tiny-agent/config.json (or ~/.config/tiny-agent/config.json), mode 0600.
The password is asked without echo, or read from stdin with --password-stdin.

  --url URL          the server (default: TINY_AGENT_URL, the stored one, or ${DEFAULT_URL})
  --username NAME    else asked
  --password-stdin   read the password from stdin (for scripts)`;

export async function login(argv: string[]): Promise<number> {
  const { values } = parseCommand('login', argv, {
    username: { type: 'string', short: 'u' },
    'password-stdin': { type: 'boolean' },
  });
  if (values.help) return (void process.stdout.write(LOGIN_HELP + '\n'), EXIT.OK);
  if (values.token) throw new UsageError('login makes its own token: --token has no place here');
  const file = configPath(process.env);
  const stored = readStored(file); // refuses an unsafe file before a password is typed
  const url = normalizeUrl(
    (values.url as string | undefined) ?? process.env.TINY_AGENT_URL ?? stored.url ?? DEFAULT_URL,
  );
  const fromStdin = Boolean(values['password-stdin']);
  let username = values.username as string | undefined;
  if (!username) {
    if (fromStdin) throw new UsageError('with --password-stdin, give --username too');
    username = await ask(`Username for ${url}: `);
  }
  const password = fromStdin ? await readStdin() : await askSecret('Password: ');
  if (!username || !password) throw new UsageError('a username and a password are needed');

  const signedIn = await gql({ url }, CliLogin, { username, password });
  const session = { url, token: signedIn.login.token };
  const name = `cli@${hostname()}`.slice(0, 100);
  const created = await gql(session, CliCreateToken, { name });
  await gql(session, CliLogout).catch(() => undefined); // the sign-in was only for this: end it
  writeStored(file, { url, token: created.createApiToken.secret });
  process.stderr.write(
    `tiny-agent: signed in to ${url} as ${signedIn.login.user.username}; API token "${name}" stored in ${file}\n`,
  );
  return EXIT.OK;
}
