// manifest.json: what a backup holds, with a size and sha256 for every file, so a restore can
// prove the copy whole before it touches anything.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EXIT, OpsError } from './ops.error.js';

export const MANIFEST = 'manifest.json';
export const FORMAT = 'tiny-agent-backup';
export const FORMAT_VERSION = 1;
/** where the data folder's files sit inside a backup: `data/output/…`, `data/uploads/…` */
export const DATA_PREFIX = 'data/';

export interface ManifestFile {
  /** relative to the backup folder, "/"-separated */
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  database: { kind: 'sqlite' | 'postgresql'; file: string };
  uploads:
    | { storage: 'folder'; copied: true }
    | { storage: 's3'; copied: false; bucket: string; prefix: string; note: string };
  counts: Record<string, number>;
  /** upload rows of the snapshot whose file was gone when it was copied (deleted meanwhile) */
  missing: string[];
  files: ManifestFile[];
}

/** Copies `length` bytes of `src` (all when undefined) into a new `dst` (0600), hashing on the way. */
export async function copyHashed(src: string, dst: string, length?: number): Promise<ManifestFile> {
  await mkdir(path.dirname(dst), { recursive: true, mode: 0o700 });
  const hash = createHash('sha256');
  let size = 0;
  // createReadStream has no empty range: an empty file is read from nowhere
  const source =
    length === 0
      ? Readable.from([])
      : createReadStream(src, length === undefined ? {} : { start: 0, end: length - 1 });
  const counted = async function* (chunks: AsyncIterable<Buffer>) {
    for await (const d of chunks) {
      hash.update(d);
      size += d.length;
      yield d;
    }
  };
  await pipeline(source, counted, createWriteStream(dst, { flags: 'wx', mode: 0o600 }));
  return { path: dst, size, sha256: hash.digest('hex') };
}

export async function hashFile(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const d of createReadStream(file)) {
    hash.update(d as Buffer);
    size += (d as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

// a manifest is input: its paths must stay inside the backup, and every field must be what we wrote
const SAFE_PATH = /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._/-]{1,512}$/;

/** Reads `dir`'s manifest and checks every file's size and sha256; throws naming the first bad one. */
export async function verifyBackup(dir: string): Promise<Manifest> {
  const text = await readFile(path.join(dir, MANIFEST), 'utf8').catch(
    (err: NodeJS.ErrnoException) => {
      throw new OpsError(
        err.code === 'ENOENT'
          ? `${dir} is not a backup: it has no ${MANIFEST} (a backup that did not finish leaves none)`
          : `cannot read ${path.join(dir, MANIFEST)}: ${err.message}`,
        EXIT.DATA,
      );
    },
  );
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch {
    throw new OpsError(`${MANIFEST} in ${dir} is not valid JSON: the backup is damaged`, EXIT.DATA);
  }
  if (m?.format !== FORMAT || typeof m.version !== 'number')
    throw new OpsError(`${dir}/${MANIFEST} is not a Tiny Agent backup manifest`, EXIT.DATA);
  if (m.version > FORMAT_VERSION)
    throw new OpsError(
      `this backup has format version ${m.version}; this Tiny Agent reads up to ${FORMAT_VERSION}: restore with a newer version`,
      EXIT.DATA,
    );
  const files = Array.isArray(m.files) ? m.files : [];
  if (
    !['sqlite', 'postgresql'].includes(m.database?.kind) ||
    !files.some((f) => f?.path === m.database.file)
  )
    throw new OpsError(`${MANIFEST} names no database file: the backup is damaged`, EXIT.DATA);
  for (const f of files) {
    if (
      !SAFE_PATH.test(String(f?.path)) ||
      !Number.isSafeInteger(f.size) ||
      !/^[0-9a-f]{64}$/.test(String(f.sha256))
    )
      throw new OpsError(
        `${MANIFEST} has an invalid entry ${JSON.stringify(f).slice(0, 120)}: the backup is damaged`,
        EXIT.DATA,
      );
  }
  for (const f of files) {
    const full = path.join(dir, f.path);
    const st = await stat(full).catch(() => null);
    if (!st?.isFile())
      throw new OpsError(`backup file ${f.path} is missing: the backup is incomplete`, EXIT.DATA);
    const got = st.size === f.size ? await hashFile(full) : { size: st.size, sha256: '' };
    if (got.size !== f.size || got.sha256 !== f.sha256)
      throw new OpsError(
        `backup file ${f.path} does not match its checksum in ${MANIFEST} (${got.size} bytes, expected ${f.size}): the backup is damaged; nothing was restored`,
        EXIT.DATA,
      );
  }
  return m;
}
