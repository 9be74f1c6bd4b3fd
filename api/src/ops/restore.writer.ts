// `npm run restore -- <dir>`: a backup back into DATA_DIR (and DATABASE_URL). Every checksum is
// verified before anything is touched; data already there is moved aside, never deleted.
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { secureDataDir } from '../db/data-dir.js';
import { copyHashed, DATA_PREFIX, verifyBackup, type Manifest } from './backup.manifest.js';
import { checkIntegrity } from './data.integrity.js';
import { connect, databaseOf, ifNoTable, type Database } from './ops.database.js';
import { EXIT, OpsError } from './ops.error.js';
import { pgDump, pgRestore } from './pg.tools.js';
import {
  databaseHoldsData,
  entriesOf,
  liveInstances,
  makeStaging,
  swapIn,
} from './restore.target.js';

export interface RestoreOptions {
  /** restore here instead of config.DATA_DIR */
  dataDir?: string;
  /** move data already in the target aside instead of refusing */
  force?: boolean;
}

export interface RestoreResult {
  manifest: Manifest;
  dataDir: string;
  /** where the data that was there went */
  aside: string | null;
  problems: string[];
}

const stampNow = () => new Date().toISOString().replace(/[:.]/g, '-');

export async function restoreBackup(
  config: Config,
  source: string,
  opts: RestoreOptions,
  say: (line: string) => void,
): Promise<RestoreResult> {
  const from = path.resolve(source);
  const dataDir = path.resolve(opts.dataDir ?? config.DATA_DIR);
  if (from === dataDir || from.startsWith(`${dataDir}${path.sep}`))
    throw new OpsError(
      `the backup ${from} is inside the data folder it would replace: move it out of ${dataDir} first`,
      EXIT.USAGE,
    );
  const db = databaseOf({ ...config, DATA_DIR: dataDir });

  say(`verifying ${from} …`);
  const manifest = await verifyBackup(from);
  if (manifest.database.kind !== db.kind)
    throw new OpsError(
      `this backup holds a ${manifest.database.kind} database, but DATABASE_URL selects ${db.kind}: set DATABASE_URL to match`,
      EXIT.USAGE,
    );

  const live = await liveInstances(db);
  if (live.length)
    throw new OpsError(
      `an instance is running on this data (${live.map((i) => `${i.host} pid ${i.pid}`).join(', ')}): stop it first, then restore (a server that crashed lets go within ${Math.max(...live.map((i) => i.left))} s)`,
      EXIT.IN_USE,
    );
  const dbHeld = await databaseHoldsData(db);
  const held = dbHeld || (await entriesOf(dataDir)).length > 0;
  if (held && !opts.force)
    throw new OpsError(
      `${db.kind === 'postgresql' ? 'the database or ' : ''}${dataDir} already holds data: restore with --force to move it aside (nothing is deleted)`,
      EXIT.CANT_CREATE,
    );

  const stamp = stampNow();
  const aside = `${dataDir}.before-restore-${stamp}`;
  const staging = await makeStaging(dataDir, stamp);
  let placed = false;
  try {
    // files into the staging folder, each checked again as it is copied
    for (const f of manifest.files) {
      const isDb = f.path === manifest.database.file;
      if (!isDb && !f.path.startsWith(DATA_PREFIX)) continue;
      const dst = isDb
        ? path.join(staging, db.kind === 'sqlite' ? '.restored.db' : '.restored.pgdump')
        : path.join(staging, f.path.slice(DATA_PREFIX.length));
      const got = await copyHashed(path.join(from, f.path), dst);
      if (got.sha256 !== f.sha256)
        throw new OpsError(
          `backup file ${f.path} changed while it was being restored: nothing was restored`,
          EXIT.DATA,
        );
    }
    if (db.kind === 'postgresql') {
      const dump = path.join(staging, '.restored.pgdump');
      if (dbHeld) {
        // the database cannot be renamed aside: a dump of it goes with the old files
        const keep = `${dataDir}.before-restore-${stamp}.pgdump`;
        say(`saving the current database to ${keep} …`);
        await pgDump(db.url, keep);
      }
      say('pg_restore …');
      await pgRestore(db.url, dump);
      await rm(dump);
      await forgetInstances(db);
    } else {
      const restoredDb = path.join(staging, '.restored.db');
      await forgetInstances({ kind: 'sqlite', file: restoredDb });
      await placeSqlite(db.file, dataDir, staging, restoredDb, stamp);
    }
    const movedTo = await swapIn(dataDir, staging, aside);
    placed = true;
    await secureDataDir(dataDir);
    say('checking the restored data …');
    const problems = await checkIntegrity(db, dataDir, {
      uploadsInFolder: manifest.uploads.storage === 'folder',
    });
    return { manifest, dataDir, aside: movedTo, problems };
  } finally {
    if (!placed) await rm(staging, { recursive: true, force: true });
  }
}

/** A restored copy has no instance running on it yet (the backup's were alive when it was taken). */
async function forgetInstances(db: Database): Promise<void> {
  const k = connect(db);
  try {
    await k.raw('delete from instances').catch(ifNoTable(undefined));
  } finally {
    await k.destroy();
  }
}

/** The SQLite file goes where the server opens it: in the data folder, or DATABASE_URL's path beside the old one. */
async function placeSqlite(
  dbFile: string,
  dataDir: string,
  staging: string,
  restored: string,
  stamp: string,
): Promise<void> {
  if (path.dirname(dbFile) === dataDir)
    return rename(restored, path.join(staging, path.basename(dbFile)));
  for (const suffix of ['', '-wal', '-shm']) {
    const old = `${dbFile}${suffix}`;
    if (await stat(old).catch(() => null))
      await rename(old, `${dbFile}.before-restore-${stamp}${suffix}`);
  }
  await rename(restored, dbFile);
}
