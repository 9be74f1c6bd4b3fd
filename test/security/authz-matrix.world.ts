// The objects the authorization matrix calls fields on: real runs, files and tokens owned by one
// USER, made through the API, plus makers of fresh objects for cells whose call uses one up.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, type TestServer } from '../../api/src/test/harness.js';
import { waitUntil } from '../../api/src/test/wait.js';

export const AGENT_YAML = `commands:
  - { name: report, title: Report, argv: [echo, report], roles: [admin, user], maxConcurrent: 1000 }
  - { name: echo-user, title: Echo, argv: [echo, hello], roles: [admin, user], maxConcurrent: 1000 }
  - { name: echo-admin, title: Admin echo, argv: [echo, admin], roles: [admin], maxConcurrent: 1000,
      schedules: [{ cron: "0 0 1 1 *" }] }
  - { name: nap, title: Nap, argv: [sleep, "30"], timeout: 60, roles: [admin, user], maxConcurrent: 1000 }
  - { name: guarded, title: Guarded, argv: [echo, approved], roles: [admin, user], maxConcurrent: 1000,
      approval: { required: true, approvers: [admin] } }
logs:
  - { name: user-log, path: user.log, roles: [admin, user] }
  - { name: admin-log, path: admin.log, roles: [admin] }
limits: { maxRunning: 1000 }
# nothing listens on port 9 (discard): test messages to it fail in the background
notify:
  - { name: ops, type: webhook, url: "http://127.0.0.1:9/hook" }
`;

export interface Account {
  username: string;
  password: string;
  userId: string;
  token: string;
}

type Vars = Record<string, unknown>;
const PASSWORD = 'matrix-password-1';
const RUN = 'mutation($n: String!) { runCommand(name: $n) { id } }';

/** Fails loudly: fixtures are made through the API, and a refusal there is a broken test, not a cell. */
async function ok<T = any>(
  r: Promise<{ data?: any; errors?: unknown[] }>,
  what: string,
): Promise<T> {
  const res = await r;
  if (res.errors?.length || !res.data)
    throw new Error(`${what} failed: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}

export async function makeWorld() {
  const s: TestServer = await startServer({}, { agentYaml: AGENT_YAML });
  writeFileSync(path.join(s.dir, 'user.log'), 'a line USER may read\n');
  writeFileSync(path.join(s.dir, 'admin.log'), 'a line only ADMIN may read\n');
  let serial = 0;
  const unique = (prefix: string) => `${prefix}-${++serial}`;
  const adminLogin = await s.login();
  const admin: Account = { username: 'admin', password: 'admin-password-1', ...adminLogin };

  const signIn = async (username: string, password: string): Promise<Account> => ({
    username,
    password,
    ...(await s.login(username, password)),
  });
  const createUser = async (
    role: 'USER' | 'ADMIN',
    username = unique(role.toLowerCase()),
  ): Promise<string> =>
    (
      await ok(
        s.gql(
          'mutation($u: String!, $p: String!, $r: Role!) { createUser(username: $u, password: $p, role: $r) { id } }',
          { u: username, p: PASSWORD, r: role },
          admin,
        ),
        'createUser',
      )
    ).createUser.id;
  /** A new account of that role, signed in. */
  const freshAccount = async (role: 'USER' | 'ADMIN'): Promise<Account> => {
    const username = unique(`fresh-${role.toLowerCase()}`);
    await createUser(role, username);
    return signIn(username, PASSWORD);
  };

  await createUser('USER', 'owner');
  await createUser('USER', 'other');
  const owner = await signIn('owner', PASSWORD);
  const other = await signIn('other', PASSWORD);

  const runOf = async (who: Account, name: string): Promise<string> =>
    (await ok(s.gql(RUN, { n: name }, who), `runCommand ${name}`)).runCommand.id;
  // one fixture upload at a time: concurrent uploads per identity may be capped
  let uploads: Promise<unknown> = Promise.resolve();
  const fileOf = (who: Account): Promise<string> => {
    const next = uploads.then(async () => {
      const r = await s.upload(
        { name: `${unique('file')}.txt`, content: 'some text\n', type: 'text/plain' },
        who,
      );
      return (await ok(Promise.resolve(r), 'uploadFile')).uploadFile.id as string;
    });
    uploads = next.catch(() => undefined);
    return next;
  };
  const tokenOf = async (who: Account): Promise<string> =>
    (
      await ok(
        s.gql(
          'mutation($n: String!) { createApiToken(name: $n) { apiToken { id } } }',
          { n: unique('token') },
          who,
        ),
        'createApiToken',
      )
    ).createApiToken.apiToken.id;

  // the owner's objects: a finished run, a processed file, an API token
  const run = await runOf(owner, 'report');
  const file = await fileOf(owner);
  const token = await tokenOf(owner);
  await waitUntil(
    async () =>
      (
        await ok(
          s.gql('query($id: ID!) { commandRun(id: $id) { status } }', { id: run }, owner),
          'commandRun',
        )
      ).commandRun.status !== 'RUNNING',
    { timeoutMs: 15_000, what: 'the report run to end' },
  );
  await waitUntil(
    async () =>
      ['DONE', 'FAILED'].includes(
        (
          await ok(
            s.gql('query($id: ID!) { file(id: $id) { processingStatus } }', { id: file }, owner),
            'file',
          )
        ).file.processingStatus,
      ),
    { timeoutMs: 15_000, what: 'the uploaded file to be processed' },
  );

  return {
    s,
    admin,
    owner,
    other,
    /** the owner's finished `report` run, processed file and API token */
    run,
    file,
    token,
    /** a new account's credentials, not signed in: each login cell signs in to its own account */
    async freshLogin(): Promise<Vars> {
      const u = unique('login');
      await createUser('USER', u);
      return { u, p: PASSWORD };
    },
    unique,
    signIn,
    freshAccount,
    /** a fresh USER made by the admin, not signed in: the target of updateUser/deleteUser */
    freshTarget: () => createUser('USER'),
    freshFile: () => fileOf(owner),
    freshToken: () => tokenOf(owner),
    /** a `sleep 30` run of the owner */
    freshNap: () => runOf(owner, 'nap'),
    /** a run of the owner waiting for approval (by an admin) */
    freshPending: () => runOf(owner, 'guarded'),
    /** ends a run that may still be running (one that has ended answers CONFLICT: fine) */
    cancelAsAdmin: async (id: string) =>
      void (await s.gql('mutation($id: ID!) { cancelCommandRun(id: $id) { id } }', { id }, admin)),
    /** the caller starts a run: a `runUpdated` event the caller may see */
    trigger: (who: Account) => runOf(who, 'echo-user').then(() => undefined),
  };
}

export type World = Awaited<ReturnType<typeof makeWorld>>;
