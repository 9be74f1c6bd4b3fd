// `npm run backup -- <dir>`: a consistent copy of a running server's data. The database first (a
// snapshot), then the files it refers to, all into a hidden sibling folder renamed to <dir> at the
// end: a backup that failed or was stopped leaves nothing that looks like a backup.
import { lstat, mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { OUTPUT_FOLDER } from '../modules/commands/output.store.js';
import {
  copyHashed,
  DATA_PREFIX,
  FORMAT,
  FORMAT_VERSION,
  hashFile,
  MANIFEST,
  type Manifest,
  type ManifestFile,
} from './backup.manifest.js';
import { connect, countRows, databaseOf, ifNoTable, rows } from './ops.database.js';
import { EXIT, OpsError } from './ops.error.js';
import { pgDump } from './pg.tools.js';

const UPLOADS_FOLDER = 'uploads';

/** Every regular file below `dir` with its size now, relative paths; symlinks and hidden names skipped. */
async function listFiles(dir: string, rel = ''): Promise<{ rel: string; size: number }[]> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    },
  );
  const out: { rel: string; size: number }[] = [];
  // by name, so a run's `.idx` is copied before its `.out`: the index never points past the output
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    // `.tmp-<id>`: an upload still being written; it is not data yet
    if (e.name.startsWith('.')) continue;
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else if (e.isFile()) {
      // a file removed since readdir (retention, a deleted upload) is simply not in the backup
      const st = await lstat(path.join(dir, r)).catch(() => null);
      if (st?.isFile()) out.push({ rel: r, size: st.size });
    }
  }
  return out;
}

async function isEmptyOrAbsent(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    if (err.code === 'ENOTDIR') return ['(a file)'];
    throw err;
  });
  return entries.length === 0;
}

export interface BackupResult {
  dir: string;
  manifest: Manifest;
  bytes: number;
}

/** Writes the backup of `config`'s data into `target`, which must not exist or be empty. */
export async function createBackup(
  config: Config,
  target: string,
  say: (line: string) => void,
  onTemp: (dir: string | null) => void = () => {},
): Promise<BackupResult> {
  const dir = path.resolve(target);
  if (!(await isEmptyOrAbsent(dir)))
    throw new OpsError(
      `${dir} exists and is not empty: give a new folder for the backup`,
      EXIT.CANT_CREATE,
    );
  const dataDir = path.resolve(config.DATA_DIR);
  if (
    dir === dataDir ||
    dir.startsWith(`${path.join(dataDir, OUTPUT_FOLDER)}${path.sep}`) ||
    dir.startsWith(`${path.join(dataDir, UPLOADS_FOLDER)}${path.sep}`)
  )
    throw new OpsError(
      `${dir} is inside the data it backs up: choose a folder outside ${dataDir}/output and /uploads`,
      EXIT.USAGE,
    );
  const db = databaseOf(config);
  if (db.kind === 'sqlite' && !(await stat(db.file).catch(() => null))?.isFile())
    throw new OpsError(
      `there is no database at ${db.file}: check DATA_DIR / DATABASE_URL (nothing to back up)`,
    );
  await mkdir(path.dirname(dir), { recursive: true });
  const tmp = path.join(path.dirname(dir), `.${path.basename(dir)}.partial-${process.pid}`);
  await mkdir(tmp, { mode: 0o700 });
  onTemp(tmp);
  try {
    const files: ManifestFile[] = [];
    const add = (f: ManifestFile) =>
      files.push({ ...f, path: path.relative(tmp, f.path).split(path.sep).join('/') });

    // the database: a snapshot on a connection of our own; the server goes on writing meanwhile
    const dbFile = db.kind === 'sqlite' ? 'database.sqlite' : 'database.pgdump';
    let counts: Record<string, number>;
    let uploadIds: string[];
    if (db.kind === 'sqlite') {
      const live = connect(db);
      try {
        await live.raw('vacuum into ?', [path.join(tmp, dbFile)]);
      } finally {
        await live.destroy();
      }
      const snap = connect({ kind: 'sqlite', file: path.join(tmp, dbFile) });
      try {
        // the instances that were alive: a restored copy has none running on it
        await snap.raw('delete from instances').catch(ifNoTable(undefined));
        counts = await countRows(snap);
        uploadIds = (await rows<{ id: string }>(snap, 'select id from files')).map((r) => r.id);
      } finally {
        await snap.destroy();
      }
    } else {
      say('database: pg_dump --format=custom …');
      await pgDump(db.url, path.join(tmp, dbFile));
      const live = connect(db);
      try {
        counts = await countRows(live);
        uploadIds = (await rows<{ id: string }>(live, 'select id from files')).map((r) => r.id);
      } finally {
        await live.destroy();
      }
    }
    files.push({ path: dbFile, ...(await hashFile(path.join(tmp, dbFile))) });

    // run output: what is there, each file up to its size now (a running run's frames carry CRCs,
    // and a restore's start cuts a torn tail as after a crash)
    const outputDir = path.join(dataDir, OUTPUT_FOLDER);
    for (const f of await listFiles(outputDir))
      add(
        await copyHashed(
          path.join(outputDir, f.rel),
          path.join(tmp, DATA_PREFIX, OUTPUT_FOLDER, f.rel),
          f.size,
        ),
      );

    let uploads: Manifest['uploads'];
    const missing: string[] = [];
    const spec = config.STORAGE_URL;
    if (spec.kind === 's3') {
      const note = `uploads are in the bucket s3://${spec.bucket}/${spec.prefix} and are NOT in this backup: back the bucket up with its own tools (versioning, replication, aws s3 sync)`;
      uploads = { storage: 's3', copied: false, bucket: spec.bucket, prefix: spec.prefix, note };
      say(`note: ${note}`);
    } else {
      uploads = { storage: 'folder', copied: true };
      const uploadsDir = path.join(dataDir, UPLOADS_FOLDER);
      const present = new Map((await listFiles(uploadsDir)).map((f) => [f.rel, f.size]));
      for (const id of uploadIds) {
        const size = present.get(id);
        if (size === undefined) {
          missing.push(id);
          continue;
        }
        add(
          await copyHashed(
            path.join(uploadsDir, id),
            path.join(tmp, DATA_PREFIX, UPLOADS_FOLDER, id),
            size,
          ),
        );
      }
      if (missing.length)
        say(
          `warning: ${missing.length} uploaded file(s) were deleted while the backup ran and are not in it: ${missing.slice(0, 5).join(', ')}`,
        );
    }

    const manifest: Manifest = {
      format: FORMAT,
      version: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      database: { kind: db.kind, file: dbFile },
      uploads,
      counts: {
        ...counts,
        // one `.out` per run (its `.idx` index beside it is not counted)
        outputFiles: files.filter(
          (f) => f.path.startsWith(`${DATA_PREFIX}${OUTPUT_FOLDER}/`) && f.path.endsWith('.out'),
        ).length,
        uploadFiles: files.filter((f) => f.path.startsWith(`${DATA_PREFIX}${UPLOADS_FOLDER}/`))
          .length,
      },
      missing,
      files,
    };
    await writeFile(path.join(tmp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    // rename(2) replaces an empty folder but not a full one: a folder filled meanwhile is kept
    await rmdir(dir).catch(() => {});
    await rename(tmp, dir).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOTEMPTY' || err.code === 'EEXIST'
        ? new OpsError(
            `${dir} was filled while the backup ran: nothing was written there`,
            EXIT.CANT_CREATE,
          )
        : err;
    });
    onTemp(null);
    return { dir, manifest, bytes: files.reduce((n, f) => n + f.size, 0) };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    onTemp(null);
    throw err;
  }
}
