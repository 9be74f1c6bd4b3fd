import { chmodSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../api/src/test/harness.js';

/** Every folder and file under `dir` (itself included) with its permission bits, as "0700 path". */
function modesUnder(dir: string): string[] {
  const out = [
    `${(lstatSync(dir).mode & 0o777).toString(8).padStart(4, '0')} ${path.basename(dir)}/`,
  ];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory())
      out.push(...modesUnder(p).map((l) => l.replace(' ', ` ${path.basename(dir)}/`)));
    else
      out.push(
        `${(lstatSync(p).mode & 0o777).toString(8).padStart(4, '0')} ${path.basename(dir)}/${e.name}`,
      );
  }
  return out;
}

const loose = (lines: string[]) =>
  lines.filter((l) => !/^0700 .*\/$/.test(l) && !/^0600 .*[^/]$/.test(l));

describe('the data folder is private to the server', () => {
  it('a new install: the folder and uploads/ are 0700, app.db (-wal, -shm), uploads and the admin password 0600', async () => {
    // no ADMIN_PASSWORD: the generated one is written to data/initial-admin-password
    const s = await startServer({ ADMIN_PASSWORD: '' });
    try {
      const password = readFileSync(
        path.join(s.config.DATA_DIR, 'initial-admin-password'),
        'utf8',
      ).trim();
      const admin = await s.login('admin', password);
      const up = await s.upload(
        { name: 'secret.txt', content: 'secret\n', type: 'text/plain' },
        admin,
      );
      expect(up.errors).toBeUndefined();
      const lines = modesUnder(s.config.DATA_DIR);
      for (const name of [
        'app.db',
        'app.db-wal',
        'app.db-shm',
        'initial-admin-password',
        'uploads/',
      ]) {
        expect(
          lines.some((l) => l.includes(`/${name}`)),
          `${name} in ${lines.join(', ')}`,
        ).toBe(true);
      }
      expect(lines.some((l) => l.endsWith(up.data.uploadFile.id))).toBe(true);
      expect(loose(lines)).toEqual([]);
    } finally {
      await s.stop();
    }
  });

  it('an install made before this rule is put right at start', async () => {
    const first = await startServer();
    const dataDir = first.config.DATA_DIR;
    const admin = await first.login();
    await first.upload({ name: 'old.txt', content: 'old\n', type: 'text/plain' }, admin);
    // stop without removing the folder: the same data dir is started again below
    await first.app.stop();
    writeFileSync(path.join(dataDir, 'notes.txt'), 'an operator file\n', { mode: 0o644 });
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'uploads'), 0o755);
    for (const f of readdirSync(path.join(dataDir, 'uploads')))
      chmodSync(path.join(dataDir, 'uploads', f), 0o644);
    chmodSync(path.join(dataDir, 'app.db'), 0o644);
    expect(loose(modesUnder(dataDir)).length).toBeGreaterThan(3);

    const again = await startServer({ DATA_DIR: dataDir });
    try {
      expect((await again.gql('{ me { id } }', {}, await again.login())).errors).toBeUndefined();
      expect(loose(modesUnder(dataDir))).toEqual([]);
    } finally {
      await again.stop();
      rmSync(first.dir, { recursive: true, force: true }); // the first server's app is already stopped
    }
  });
});
