import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverForFile } from '../../test/harness.js';
import { LINES, lines, tail, texts } from '../../test/log.api-testkit.js';
import { runLogrotate } from '../../test/log.testkit.js';

// Real logrotate (compress + delaycompress, the usual Debian setup) and the real server.
const AGENT = `commands: []
logs:
  - { name: hist, path: hist.log, roles: [admin, user] }
  - { name: resume, path: resume.log, roles: [admin] }
`;

const server = serverForFile(AGENT);
const FILES = `query { logSources { name files { name sizeBytes compressed modifiedAt } } }`;
const PAGE = `query($s: String!, $n: Int, $before: String, $f: String) {
  logLines(source: $s, last: $n, before: $before, filter: $f) { cursor text file } }`;

async function rotate(name: string, options = 'compress\n  delaycompress'): Promise<void> {
  const { s } = server;
  const config = path.join(s.dir, `${name}.logrotate.conf`);
  const file = path.join(s.dir, `${name}.log`);
  writeFileSync(config, `${file} {\n  create\n  rotate 10\n  ${options}\n}\n`);
  await runLogrotate(config, path.join(s.dir, `${name}.state`));
}

describe('a source with rotated files', () => {
  it('lists its files and pages back through all of them, saying which file each line is from', async () => {
    const { s, admin } = server;
    const file = path.join(s.dir, 'hist.log');
    for (let part = 0; part < 3; part++) {
      writeFileSync(file, `part ${part} a\npart ${part} b\n`);
      if (part < 2) await rotate('hist');
    }
    const user = await s.createUser('histreader');
    const listed = (await s.gql(FILES, {}, user)).data.logSources.find(
      (x: { name: string }) => x.name === 'hist',
    );
    expect(listed.files.map((f: { name: string }) => f.name)).toEqual([
      'hist.log',
      'hist.log.1',
      'hist.log.2.gz',
    ]);
    expect(listed.files.map((f: { compressed: boolean }) => f.compressed)).toEqual([
      false,
      false,
      true,
    ]);
    expect(listed.files[0].sizeBytes).toBe(Buffer.byteLength('part 2 a\npart 2 b\n'));
    expect(Date.parse(listed.files[2].modifiedAt)).toBeGreaterThan(Date.now() - 60_000);

    const page1 = (await s.gql(PAGE, { s: 'hist', n: 3 }, admin)).data.logLines;
    expect(page1.map((l: { text: string; file: string }) => `${l.file}: ${l.text}`)).toEqual([
      'hist.log.1: part 1 b',
      'hist.log: part 2 a',
      'hist.log: part 2 b',
    ]);
    const page2 = (await s.gql(PAGE, { s: 'hist', n: 3, before: page1[0].cursor }, admin)).data
      .logLines;
    expect(page2.map((l: { text: string; file: string }) => `${l.file}: ${l.text}`)).toEqual([
      'hist.log.2.gz: part 0 a',
      'hist.log.2.gz: part 0 b',
      'hist.log.1: part 1 a',
    ]);
    const older = await s.gql(PAGE, { s: 'hist', n: 3, before: page2[0].cursor }, admin);
    expect(older.data.logLines).toEqual([]);
    // a search goes through the rotated files too
    const found = await s.gql(LINES, { s: 'hist', n: 10, f: '/ a$/' }, admin);
    expect(found.data.logLines.map((l: { text: string }) => l.text)).toEqual([
      'part 0 a',
      'part 1 a',
      'part 2 a',
    ]);
  });

  it('logTail(after:) into a file rotated since drains it, then the newer file, then goes live', async () => {
    const { s, admin } = server;
    const file = path.join(s.dir, 'resume.log');
    writeFileSync(file, 'a1\na2\n');
    const first = (await s.gql(PAGE, { s: 'resume', n: 2 }, admin)).data.logLines[0];
    appendFileSync(file, 'a3\n'); // after the client's last cursor, then rotated away
    await rotate('resume');
    writeFileSync(file, 'b1\n');
    const t = tail(s, 'ws', admin, { s: 'resume', a: first.cursor });
    await t.waitFor(4);
    appendFileSync(file, 'b2\n');
    await t.waitFor(5);
    t.stop();
    expect(lines(t).map((l) => (l.kind === 'LINE' ? l.text : l.kind))).toEqual([
      'a2',
      'a3',
      'ROTATED',
      'b1',
      'b2',
    ]);
    expect(texts(t)).toHaveLength(4);
  });
});
