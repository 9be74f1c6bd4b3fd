import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverForFile } from '../../test/harness.js';
import { LINES, gapsAndTwins, lines, tail, texts } from '../../test/log.api-testkit.js';
import { LOGROTATE, movedAside, runLogrotate, startWriter, tally } from '../../test/log.testkit.js';
import { waitUntil } from '../../test/wait.js';

// Real logrotate (apt-get install logrotate) while a separate process appends numbered lines.
const TOTAL = 2000;

const AGENT = `commands: []
logs:
  - { name: created, path: created.log, roles: [admin] }
  - { name: copied, path: copied.log, roles: [admin] }
  - { name: big, path: big.log, roles: [admin, user] }
  - { name: burst, path: burst.log, roles: [admin] }
`;

const server = serverForFile(AGENT);

async function tailWhileRotating(mode: 'create' | 'copytruncate', name: string) {
  if (!LOGROTATE) throw new Error('logrotate is not installed: apt-get install -y logrotate');
  const { s, admin } = server;
  const file = path.join(s.dir, `${name}.log`);
  const config = path.join(s.dir, `${name}.logrotate.conf`);
  writeFileSync(config, `${file} {\n  ${mode}\n  rotate 10\n  missingok\n}\n`);
  writeFileSync(file, 'ready\n');
  const t = tail(s, 'ws', admin, { s: name, b: 1 });
  await t.waitFor(1); // attached: everything written from now on is live
  const numbered = () => texts(t).filter((x) => x.startsWith('line ')).length;
  const marker = mode === 'create' ? 'ROTATED' : 'TRUNCATED';
  const switches = () => lines(t).filter((l) => l.kind === marker).length;
  const writer = startWriter(file, TOTAL, 10, 3);
  let rotations = 0;
  try {
    for (const at of [TOTAL / 4, TOTAL / 2]) {
      await waitUntil(() => numbered() >= at, { timeoutMs: 15_000, what: `${at} lines` });
      await runLogrotate(config, path.join(s.dir, `${name}.state`));
      rotations++;
      // logrotate runs hours apart; two rotations before the follower switches would skip the middle file
      await waitUntil(() => switches() === rotations, {
        timeoutMs: 15_000,
        what: `switch ${rotations}`,
      });
    }
    await writer.done;
  } finally {
    writer.child.kill(); // done by now, unless the test failed: then it must not write on
  }
  await waitUntil(() => texts(t).some((x) => x.startsWith(`line ${TOTAL} `)), {
    timeoutMs: 15_000,
    what: 'the last line',
  });
  await new Promise((r) => setTimeout(r, 300)); // a late duplicate would show now
  t.stop();
  const { missing, twice } = gapsAndTwins(tally(texts(t)), TOTAL);
  // the only lines allowed missing are those logrotate itself moved away from the name (testkit)
  const moved = movedAside(s.dir, `${name}.log`);
  return { t, rotations, missing: missing.filter((n) => !moved.has(n)), twice };
}

describe('logTail under real logrotate, through graphql-ws', () => {
  it(
    'create: every number exactly once and a ROTATED per rotation',
    { timeout: 60_000 },
    async () => {
      const { t, rotations, missing, twice } = await tailWhileRotating('create', 'created');
      expect(missing).toEqual([]);
      expect(twice).toEqual([]);
      expect(lines(t).filter((l) => l.kind === 'ROTATED')).toHaveLength(rotations);
      expect(lines(t).some((l) => l.kind === 'TRUNCATED' || l.kind === 'DROPPED')).toBe(false);
    },
  );

  it('copytruncate: TRUNCATED per rotation, no duplicates', { timeout: 60_000 }, async () => {
    const { t, rotations, missing, twice } = await tailWhileRotating('copytruncate', 'copied');
    expect(twice).toEqual([]);
    expect(lines(t).filter((l) => l.kind === 'TRUNCATED')).toHaveLength(rotations);
    expect(lines(t).some((l) => l.kind === 'ROTATED')).toBe(false);
    // what is written between logrotate's copy and its truncate is lost by design (docs/log-follower.md)
    expect(missing.length).toBeLessThan(TOTAL / 4);
  });
});

describe('a burst larger than a subscriber queue', () => {
  // 5,000 short lines in one write are ~4 follower blocks of 64 KiB; each block holds more lines
  // than a subscriber's live queue (1,000), and a client that keeps up must still get every one
  for (const transport of ['ws', 'sse'] as const) {
    it(`${transport}: every line of one 100 KB write reaches a client that keeps up, no DROPPED`, async () => {
      const { s, admin } = server;
      const file = path.join(s.dir, 'burst.log');
      writeFileSync(file, 'ready\n');
      const t = tail(s, transport, admin, { s: 'burst', b: 1 });
      await t.waitFor(1);
      const count = 5000;
      appendFileSync(
        file,
        Array.from({ length: count }, (_, i) => `b ${i + 1} ${'y'.repeat(12)}\n`).join(''),
      );
      await waitUntil(
        () => lines(t).some((l) => l.kind === 'DROPPED' || l.text?.startsWith(`b ${count} `)),
        { timeoutMs: 15_000, what: 'the last line or a DROPPED' },
      );
      t.stop();
      expect(lines(t).filter((l) => l.kind === 'DROPPED')).toEqual([]);
      const got = texts(t)
        .filter((x) => x.startsWith('b '))
        .map((x) => Number(x.split(' ')[1]));
      expect(got).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    });
  }
});

/** Bytes this process has read so far (files and sockets), from /proc/self/io. */
function bytesReadSoFar(): number {
  return Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
}

describe('history of a large file', () => {
  it(
    'the last 5000 lines of a 100 MB file come back reading only its end, by query and as backfill',
    { timeout: 60_000 },
    async () => {
      const { s } = server;
      const file = path.join(s.dir, 'big.log');
      const pad = 'x'.repeat(40);
      writeFileSync(file, '');
      const per = 100_000;
      let n = 0;
      for (let chunk = 0; chunk < 20; chunk++) {
        appendFileSync(file, Array.from({ length: per }, () => `line ${++n} ${pad}\n`).join(''));
      }
      const user = await s.createUser('bigreader');
      const size = (await s.gql(`{ logSources { name sizeBytes } }`, {}, user)).data.logSources[0]
        .sizeBytes;
      expect(size).toBeGreaterThan(100 * 1000 * 1000);

      // fast means reading the file's end, not its 100 MB: bytes read by this process (server and
      // client share it; rchar counts file and socket reads) stay a few MiB (speed: npm run bench)
      let read0 = bytesReadSoFar();
      let t0 = performance.now();
      const r = await s.gql(LINES, { s: 'big', n: 5000 }, user);
      const queryMs = performance.now() - t0;
      const queryRead = bytesReadSoFar() - read0;
      const got = r.data.logLines.map((l: { text: string }) => Number(l.text.split(' ')[1]));
      expect(got).toEqual(Array.from({ length: 5000 }, (_, i) => n - 4999 + i));
      expect(queryRead).toBeLessThan(16 * 1024 * 1024);

      read0 = bytesReadSoFar();
      t0 = performance.now();
      const sub = tail(s, 'ws', user, { s: 'big', b: 5000 });
      await sub.waitFor(5000, 10_000);
      const tailMs = performance.now() - t0;
      const tailRead = bytesReadSoFar() - read0;
      sub.stop();
      expect(texts(sub).map((x) => Number(x.split(' ')[1]))).toEqual(got);
      expect(tailRead).toBeLessThan(16 * 1024 * 1024);

      // a page further back, from the first cursor
      const older = await s.gql(LINES, { s: 'big', n: 3, before: r.data.logLines[0].cursor }, user);
      expect(
        older.data.logLines.map((l: { text: string }) => Number(l.text.split(' ')[1])),
      ).toEqual([n - 5002, n - 5001, n - 5000]);
      console.log(
        `100 MB file: logLines(last 5000) ${queryMs.toFixed(0)} ms, ${queryRead} bytes read; logTail(backfill 5000) over graphql-ws ${tailMs.toFixed(0)} ms, ${tailRead} bytes read`,
      );
    },
  );
});
