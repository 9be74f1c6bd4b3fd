import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';

const AGENT = `
commands:
  - name: checksum
    title: SHA-256 of an uploaded file
    argv: ["sha256sum", "{{input}}"]
    roles: [admin, user]
    args:
      - { name: input, type: file }
  - name: show-arg
    title: Print the argument as received
    argv: ["node", "-e", "console.log(JSON.stringify(process.argv.slice(1)))", "--", "{{input}}"]
    roles: [admin, user]
    args:
      - { name: input, type: file }
logs: []
`;

const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;
const RUN = `mutation($name: String!, $args: [CommandArgInput!]) { runCommand(name: $name, args: $args) { id argv } }`;

let s: TestServer;
let alice: { token: string };
let bob: { token: string };
beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  alice = await s.createUser('alice');
  bob = await s.createUser('bob');
});
afterAll(async () => s.stop());

async function outputOf(runId: string, who: { token: string }) {
  const sub = s.subscribeWs(
    `subscription($id: ID!) { commandOutput(runId: $id) { data } }`,
    { id: runId },
    { token: who.token },
  );
  await sub.waitEnd(20_000);
  return sub.events.map((e) => e.data.commandOutput.data).join('');
}

it('a file argument reaches the command as the stored absolute path, never the client name', async () => {
  const content = 'checksum me\n'.repeat(100);
  const up = await s.upload({ name: '$(touch pwned) ; rm -rf ~.txt', content }, alice);
  const id = up.data.uploadFile.id;
  const stored = path.join(s.config.DATA_DIR, 'uploads', id);

  const run = await s.gql(RUN, { name: 'checksum', args: [{ name: 'input', value: id }] }, alice);
  expect(run.errors).toBeUndefined();
  expect(run.data.runCommand.argv).toEqual(['sha256sum', stored]);
  const out = await outputOf(run.data.runCommand.id, alice);
  expect(out).toBe(`${createHash('sha256').update(content).digest('hex')}  ${stored}\n`);

  // the stored output says the same, read back through GraphQL
  const back = await s.gql(
    `query($id: ID!) { commandRun(id: $id) { status output { data } } }`,
    { id: run.data.runCommand.id },
    alice,
  );
  expect(back.data.commandRun.status).toBe('SUCCEEDED');
  expect(back.data.commandRun.output.map((c: any) => c.data).join('')).toBe(out);

  const shown = await s.gql(RUN, { name: 'show-arg', args: [{ name: 'input', value: id }] }, alice);
  const argv = JSON.parse(await outputOf(shown.data.runCommand.id, alice));
  expect(argv).toEqual([stored]);
  expect(path.isAbsolute(argv[0])).toBe(true);
  expect(argv[0]).not.toContain('pwned');
});

it('a foreign, missing or path-like file id is refused like a missing file, and nothing runs', async () => {
  const id = (await s.upload({ name: 'alice.txt', content: 'private' }, alice)).data.uploadFile.id;
  const runsBefore = (await s.gql('{ commandRuns(first: 100) { edges { node { id } } } }', {}, bob))
    .data.commandRuns.edges.length;
  for (const value of [
    id,
    '00000000-0000-4000-8000-000000000000',
    '../../../etc/passwd',
    '/etc/passwd',
  ]) {
    const r = await s.gql(RUN, { name: 'checksum', args: [{ name: 'input', value }] }, bob);
    expect(code(r), value).toBe('NOT_FOUND');
  }
  expect(
    (await s.gql('{ commandRuns(first: 100) { edges { node { id } } } }', {}, bob)).data.commandRuns
      .edges.length,
  ).toBe(runsBefore);
});
