// Every JSON-bearing column read back on a real PostgreSQL (Debian's package, on a free loopback
// port): the run's argv and args through the API, the audit detail and a file's processing result,
// and a row written by a version before migration 009 (argv and args in text columns).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { connect } from '../api/src/ops/ops.database.js';
import { initOrm } from '../api/src/db/orm.js';
import { CommandRun } from '../api/src/modules/commands/command-run.entity.js';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { waitUntil } from '../api/src/test/wait.js';
import { startPostgres, type Postgres } from './scale/cluster.js';

const AGENT = `
commands:
  - name: hello
    title: Hello
    argv: ["echo", "hello from {{who}}", "{{times}}"]
    args:
      - { name: who, type: string, pattern: "[a-z]+" }
      - { name: times, type: int, min: 1, max: 9, default: 1 }
logs: []
`;
const RUN_FIELDS = 'id status argv args { name value }';

let pg: Postgres;
let s: TestServer;
beforeAll(async () => {
  pg = await startPostgres();
  const k = connect({ kind: 'postgresql', url: pg.url });
  await k.raw('create database legacy');
  await k.destroy();
  s = await startServer({ DATABASE_URL: pg.url }, { agentYaml: AGENT });
}, 60_000);
afterAll(async () => {
  await s?.stop();
  await pg?.destroy();
});

describe('JSON columns on PostgreSQL', () => {
  it('a run’s argv and args read back as lists through commandRuns and commandRun', async () => {
    const admin = await s.login();
    const started = await s.gql(
      `mutation { runCommand(name: "hello", args: [{ name: "who", value: "pg" }, { name: "times", value: "3" }]) { id } }`,
      {},
      admin,
    );
    const id = started.data.runCommand.id as string;
    const status = async () =>
      (await s.gql(`query($id: ID!) { commandRun(id: $id) { status } }`, { id }, admin)).data
        ?.commandRun?.status;
    await waitUntil(async () => (await status()) === 'SUCCEEDED', {
      timeoutMs: 10_000,
      what: 'the run to end',
    });
    const expected = {
      id,
      argv: ['echo', 'hello from pg', '3'],
      args: [
        { name: 'who', value: 'pg' },
        { name: 'times', value: '3' },
      ],
    };
    const single = await s.gql(
      `query($id: ID!) { commandRun(id: $id) { ${RUN_FIELDS} } }`,
      { id },
      admin,
    );
    expect(single.errors).toBeUndefined();
    expect(single.data.commandRun).toMatchObject(expected);
    const list = await s.gql(
      `{ commandRuns(first: 5) { edges { node { ${RUN_FIELDS} } } } }`,
      {},
      admin,
    );
    expect(list.errors).toBeUndefined();
    expect(list.data.commandRuns.edges.map((e: any) => e.node)).toEqual([
      { ...expected, status: 'SUCCEEDED' },
    ]);

    // the audit detail and the processing result are JSON text by design: they read back as text
    const audit = await s.gql(
      `{ auditEvents(action: RUN_STARTED, first: 5) { edges { node { target detail } } } }`,
      {},
      admin,
    );
    const event = audit.data.auditEvents.edges[0].node;
    expect(event.target).toBe(id);
    expect(JSON.parse(event.detail)).toMatchObject({
      command: 'hello',
      argv: ['echo', 'hello from pg', '3'],
    });
    const up = await s.upload({ name: 'a.txt', content: 'one\ntwo\n', type: 'text/plain' }, admin);
    const fileId = up.data.uploadFile.id as string;
    const file = async () =>
      (
        await s.gql(
          `query($id: ID!) { file(id: $id) { processingStatus processingResult } }`,
          { id: fileId },
          admin,
        )
      ).data.file;
    await waitUntil(async () => ['DONE', 'FAILED'].includes((await file()).processingStatus), {
      timeoutMs: 10_000,
      what: 'the upload to be processed',
    });
    expect(typeof JSON.parse((await file()).processingResult)).toBe('object');
  });

  it('rows an earlier version wrote (argv, args as text) read back as lists after the migrations', async () => {
    const url = pg.url.replace(/\/postgres$/, '/legacy');
    let orm = await initOrm({ DATABASE_URL: url, DATA_DIR: s.config.DATA_DIR });
    const em = orm.em.fork() as SqlEntityManager;
    // the database as a release before 009 left it: argv and args text columns (the later
    // migrations' tables are there too; they do not touch these columns)
    await em.execute('alter table command_runs alter column argv type text using argv::text');
    await em.execute('alter table command_runs alter column args type text using args::text');
    await em.execute(`delete from mikro_orm_migrations where name = '009-run-json-columns'`);
    const user = (await em.execute<{ id: string }[]>('select id from users limit 1'))[0];
    const owner = user?.id ?? (await seedUser(em));
    await em.execute(
      `insert into command_runs (id, command_name, argv, args, status, started_at, finished_at, started_by_id)
       values ('11111111-0000-4000-8000-000000000001', 'old', '["ls","-l"]', '[{"name":"dir","value":"/tmp"}]', 'SUCCEEDED', now(), now(), ?),
              ('11111111-0000-4000-8000-000000000002', 'older', '["true"]', null, 'SUCCEEDED', now(), now(), ?)`,
      [owner, owner],
    );
    await orm.close();

    orm = await initOrm({ DATABASE_URL: url, DATA_DIR: s.config.DATA_DIR });
    try {
      const runs = await orm.em.fork().find(CommandRun, {}, { orderBy: { commandName: 'asc' } });
      expect(runs.map((r) => [r.commandName, r.argv, r.args])).toEqual([
        ['old', ['ls', '-l'], [{ name: 'dir', value: '/tmp' }]],
        ['older', ['true'], null],
      ]);
    } finally {
      await orm.close();
    }
  });
});

async function seedUser(em: SqlEntityManager): Promise<string> {
  const id = '22222222-0000-4000-8000-000000000001';
  await em.execute(
    `insert into users (id, username, password_hash, role, created_at) values (?, 'old-admin', 'x', 'ADMIN', now())`,
    [id],
  );
  return id;
}
