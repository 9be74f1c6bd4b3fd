import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandRun } from '../modules/commands/command-run.entity.js';
import { migrationNames } from './migrations.js';
import { initOrm } from './orm.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-orm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const applied = async (em: SqlEntityManager) =>
  (await em.execute<{ name: string }[]>('select name from mikro_orm_migrations order by id')).map(
    (r) => r.name,
  );

describe('migrations at start', () => {
  it('a new database gets every migration; a restart finds it current; one missing migration is applied', async () => {
    const config = { DATA_DIR: dir, DATABASE_URL: undefined };
    let orm = await initOrm(config);
    expect(await applied(orm.em.fork() as SqlEntityManager)).toEqual(migrationNames);
    await orm.close();

    orm = await initOrm(config);
    const em = orm.em.fork() as SqlEntityManager;
    expect(await applied(em)).toEqual(migrationNames);
    // as if the last migration were new in this release (on SQLite it leaves the text columns be)
    await em.execute(
      `insert into users (id, username, password_hash, role, created_at) values ('u1', 'u', 'x', 'ADMIN', 0)`,
    );
    await em.execute(
      `insert into command_runs (id, command_name, argv, args, status, started_at, started_by_id)
       values ('r1', 'old', '["ls","-l"]', '[{"name":"dir","value":"/tmp"}]', 'SUCCEEDED', 0, 'u1')`,
    );
    // 009 changes nothing on SQLite, so running it again over the current tables is safe
    await em.execute(`delete from mikro_orm_migrations where name = '009-run-json-columns'`);
    await orm.close();

    orm = await initOrm(config);
    const again = orm.em.fork() as SqlEntityManager;
    expect((await applied(again)).sort()).toEqual(migrationNames);
    const run = await again.findOneOrFail(CommandRun, 'r1');
    expect([run.argv, run.args]).toEqual([['ls', '-l'], [{ name: 'dir', value: '/tmp' }]]);
    await orm.close();
  });
});
