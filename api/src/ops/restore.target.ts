// Where a restore writes, and what may stop it: an instance alive on that data, data already there.
import { mkdir, readdir, rename, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { dbNowSql } from '../cluster/instance.lease.js';
import { connect, ifNoTable, rows, type Database } from './ops.database.js';

/** Instances whose lease in `db` still holds (a server runs on this data), with seconds left. */
export async function liveInstances(
  db: Database,
): Promise<{ host: string; pid: number; left: number }[]> {
  if (db.kind === 'sqlite' && !(await stat(db.file).catch(() => null))) return [];
  const k = connect(db);
  const now = dbNowSql(db.kind === 'postgresql');
  try {
    const live = await rows<{ host: string; pid: number; left: number | string }>(
      k,
      `select host, pid, lease_until - ${now} as "left" from instances where lease_until > ${now}`,
    ).catch(ifNoTable([])); // a database no server has started on
    return live.map((i) => ({ ...i, left: Math.ceil(Number(i.left) / 1000) }));
  } finally {
    await k.destroy();
  }
}

/** The entries of `dir` (none when it does not exist). */
export const entriesOf = (dir: string): Promise<string[]> =>
  readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });

/** True when `db` already holds a Tiny Agent database (its migrations table has rows). */
export async function databaseHoldsData(db: Database): Promise<boolean> {
  if (db.kind === 'sqlite') return ((await stat(db.file).catch(() => null))?.size ?? 0) > 0;
  const k = connect(db);
  try {
    const [r] = await rows<{ n: string | number }>(
      k,
      'select count(*) as n from mikro_orm_migrations',
    ).catch(ifNoTable([{ n: 0 }]));
    return Number(r?.n ?? 0) > 0;
  } finally {
    await k.destroy();
  }
}

const CANNOT_CREATE = new Set(['EACCES', 'EROFS', 'EPERM']);

/**
 * A new empty folder for the restored data, on the data folder's filesystem so it moves into place
 * by rename: beside it, or inside it when the data folder is a mount point (a container's volume,
 * which cannot be renamed, in a read-only parent).
 */
export async function makeStaging(dataDir: string, stamp: string): Promise<string> {
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o700 });
  const [here, parent] = await Promise.all([
    stat(dataDir).catch(() => null),
    stat(path.dirname(dataDir)),
  ]);
  const beside = `${dataDir}.restoring-${stamp}`;
  if (!here || here.dev === parent.dev) {
    try {
      await mkdir(beside, { mode: 0o700 });
      return beside;
    } catch (err) {
      if (!CANNOT_CREATE.has((err as NodeJS.ErrnoException).code ?? '') || !here) throw err;
    }
  }
  const inside = path.join(dataDir, `.restoring-${stamp}`);
  await mkdir(inside, { mode: 0o700 });
  return inside;
}

/**
 * Puts `staging`'s entries in place as `dataDir`, moving what `dataDir` held aside first (never
 * deleting it): the folders swap by rename, or, with the staging folder inside a mount point, the
 * entries move one by one into a hidden `.before-restore-…` folder inside it. Returns where the
 * old data went (null: there was none).
 */
export async function swapIn(
  dataDir: string,
  staging: string,
  aside: string,
): Promise<string | null> {
  const old = await entriesOf(dataDir);
  if (!staging.startsWith(`${dataDir}${path.sep}`)) {
    if (old.length) await rename(dataDir, aside);
    else await rmdir(dataDir).catch(() => {});
    await rename(staging, dataDir);
    return old.length ? aside : null;
  }
  const hiddenAside = path.join(dataDir, `.${path.basename(aside)}`);
  const moved = old.filter((e) => e !== path.basename(staging));
  if (moved.length) {
    await mkdir(hiddenAside, { mode: 0o700 });
    for (const e of moved) await rename(path.join(dataDir, e), path.join(hiddenAside, e));
  }
  for (const e of await entriesOf(staging))
    await rename(path.join(staging, e), path.join(dataDir, e));
  await rmdir(staging);
  return moved.length ? hiddenAside : null;
}
