import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { afterAll, describe, expect, it } from 'vitest';
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
    // as if the last migration were new in this release
    await em.execute('drop index command_runs_command_name_started_at_index');
    await em.execute('drop index command_runs_finished_at_index');
    await em.execute('alter table command_runs drop column output_removed_at');
    await em.execute(`delete from mikro_orm_migrations where name = '${migrationNames.at(-1)}'`);
    await orm.close();

    orm = await initOrm(config);
    const again = orm.em.fork() as SqlEntityManager;
    expect(await applied(again)).toEqual(migrationNames);
    expect(
      await again.execute('select count(*) as n from command_runs where output_removed_at is null'),
    ).toEqual([{ n: 0 }]);
    await orm.close();
  });
});
