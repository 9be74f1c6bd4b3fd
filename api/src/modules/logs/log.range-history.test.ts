import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serverForFile } from '../../test/harness.js';
import { runLogrotate } from '../../test/log.testkit.js';

// Time ranges, forward pages and downloads across a history made by real logrotate
// (compress + delaycompress): hist.log.2.gz, hist.log.1, hist.log.
const AGENT = `commands: []
logs:
  - { name: hist, path: hist.log, roles: [admin] }
  - { name: big, path: big.log, roles: [admin] }
  - { name: jhist, path: jhist.log, format: json, roles: [admin] }
  - { name: plain, path: plain.log, format: text, roles: [admin] }
`;
const server = serverForFile(AGENT);
const T0 = Date.UTC(2026, 11, 7, 0, 0, 0);
const at = (sec: number) => new Date(T0 + sec * 1000).toISOString();
const LINES = `query($s: String!, $since: DateTime, $until: DateTime, $first: Int, $last: Int, $after: String, $before: String) {
  logLines(source: $s, since: $since, until: $until, first: $first, last: $last, after: $after, before: $before) { cursor kind text file } }`;
type Line = { cursor: string; kind: string; text: string; file: string | null };
const shown = (ls: Line[]) => ls.map((l) => (l.kind === 'LINE' ? `${l.file}: ${l.text}` : l.kind));
const rchar = () => Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);

async function rotate(name: string, options: string): Promise<void> {
  const { s } = server;
  const config = path.join(s.dir, `${name}.logrotate.conf`);
  writeFileSync(
    config,
    `${path.join(s.dir, `${name}.log`)} {\n  create\n  rotate 10\n  ${options}\n}\n`,
  );
  await runLogrotate(config, path.join(s.dir, `${name}.state`));
}

/** Writes each part as the file's content, rotating between parts: the first part ends oldest. */
async function history(name: string, parts: string[], options = 'compress\n  delaycompress') {
  for (const [k, part] of parts.entries()) {
    writeFileSync(path.join(server.s.dir, `${name}.log`), part);
    if (k < parts.length - 1) await rotate(name, options);
  }
}

// ten timed lines per file, seconds 10k..10k+9; line 10k+4 carries a two-line stack trace
const part = (k: number) =>
  Array.from({ length: 10 }, (_, j) => {
    const sec = 10 * k + j;
    return `${at(sec)} line ${sec}\n${j === 4 ? `  at frame ${sec}a\n  at frame ${sec}b\n` : ''}`;
  }).join('');
const HIST = [part(0), part(1), `  at cut by rotation\n${part(2)}`];
const expectLines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => from + k).flatMap((sec) => {
    const file = sec < 10 ? 'hist.log.2.gz' : sec < 20 ? 'hist.log.1' : 'hist.log';
    const trace =
      sec % 10 === 4 ? [`${file}:   at frame ${sec}a`, `${file}:   at frame ${sec}b`] : [];
    return [`${file}: ${at(sec)} line ${sec}`, ...trace];
  });

beforeAll(() => history('hist', HIST));

describe('time ranges and pages across rotated files', () => {
  it('a range spanning three files: exact lines in order, file names, stack traces kept, both directions', async () => {
    const { s, admin } = server;
    const files = (await s.gql(`{ logSources { name files { name } } }`, {}, admin)).data
      .logSources;
    expect(
      files
        .find((x: { name: string }) => x.name === 'hist')
        .files.map((f: { name: string }) => f.name),
    ).toEqual(['hist.log', 'hist.log.1', 'hist.log.2.gz']);
    const fwd = (await s.gql(LINES, { s: 'hist', since: at(5), until: at(25), first: 5000 }, admin))
      .data.logLines;
    const want = [
      ...expectLines(5, 20),
      'hist.log:   at cut by rotation', // the head of the current file goes with line 19, in range
      ...expectLines(20, 25),
    ];
    expect(shown(fwd).filter((l) => l !== 'ROTATED')).toEqual(want);
    expect(
      shown(fwd).filter(
        (l) =>
          l === 'ROTATED' ||
          l.endsWith(' line 10') ||
          l.endsWith(' line 9') ||
          l.includes('cut by'),
      ),
    ).toEqual([
      `hist.log.2.gz: ${at(9)} line 9`,
      'ROTATED',
      `hist.log.1: ${at(10)} line 10`,
      'ROTATED',
      'hist.log:   at cut by rotation',
    ]);
    const back = (await s.gql(LINES, { s: 'hist', since: at(5), until: at(25), last: 5000 }, admin))
      .data.logLines;
    expect(shown(back)).toEqual(want);
    // back in pages of 7 from the range's end, through all three files
    const paged: Line[] = [];
    let before: string | undefined;
    for (;;) {
      const page = (
        await s.gql(LINES, { s: 'hist', since: at(5), until: at(25), last: 7, before }, admin)
      ).data.logLines as Line[];
      if (page.length === 0) break;
      paged.unshift(...page);
      before = page[0]!.cursor;
    }
    expect(shown(paged)).toEqual(want);

    // a range wholly inside the .gz
    const inGz = (await s.gql(LINES, { s: 'hist', since: at(3), until: at(6), first: 100 }, admin))
      .data.logLines;
    expect(shown(inGz)).toEqual(expectLines(3, 6));
    const inGzBack = (await s.gql(LINES, { s: 'hist', since: at(3), until: at(6), last: 2 }, admin))
      .data.logLines;
    expect(shown(inGzBack)).toEqual(expectLines(4, 6).slice(-2));

    // a first page with no cursor and no since starts at the oldest file
    const oldest = (await s.gql(LINES, { s: 'hist', first: 2 }, admin)).data.logLines;
    expect(shown(oldest)).toEqual(expectLines(0, 2));
  });

  it('pages forward from a cursor in the .gz through .1 into the current file, to the end', async () => {
    const { s, admin } = server;
    const start = (await s.gql(LINES, { s: 'hist', since: at(7), first: 1 }, admin)).data.logLines;
    expect(shown(start)).toEqual([`hist.log.2.gz: ${at(7)} line 7`]);
    const got: Line[] = [];
    let after = start[0].cursor as string;
    for (let pages = 0; pages < 20; pages++) {
      const page = (await s.gql(LINES, { s: 'hist', after, first: 4 }, admin)).data
        .logLines as Line[];
      if (page.length === 0) break;
      got.push(...page);
      after = page.at(-1)!.cursor;
    }
    expect(shown(got).filter((l) => l !== 'ROTATED')).toEqual([
      ...expectLines(8, 20),
      'hist.log:   at cut by rotation',
      ...expectLines(20, 30),
    ]);
    expect(shown(got).filter((l) => l === 'ROTATED')).toHaveLength(2);
  });

  it('logTail(since) reaching back into a .gz backfills its lines too', async () => {
    const { s, admin } = server;
    const t = s.subscribeWs(
      `subscription($since: DateTime) { logTail(source: "hist", since: $since) { kind text } }`,
      { since: at(8) },
      { token: admin.token },
    );
    const want = [
      ...expectLines(8, 20),
      'hist.log:   at cut by rotation',
      ...expectLines(20, 30),
    ].map((l) => l.replace(/^[^:]+: /, ''));
    await t.waitFor(want.length);
    t.stop();
    expect(t.events.map((e) => e.data.logTail.text)).toEqual(want);
  });

  it('jumps to a time in the current file without reading the .gz files', async () => {
    const { s, admin } = server;
    // three rotations of ~2 MB of incompressible timed lines each (100 a second), then a timed current file
    const noise = (k: number) =>
      Array.from(
        { length: 16_000 },
        (_, j) => `${at(1000 * k + j / 100)} ${randomBytes(64).toString('hex')}\n`,
      ).join('');
    const current = Array.from({ length: 10 }, (_, j) => `${at(3000 + j)} now ${j}\n`).join('');
    await history('big', [noise(0), noise(1), noise(2), current], 'compress');
    const gzBytes = ['big.log.1.gz', 'big.log.2.gz', 'big.log.3.gz']
      .map((f) => statSync(path.join(s.dir, f)).size)
      .reduce((a, b) => a + b, 0);
    expect(gzBytes).toBeGreaterThan(3e6);

    const before = rchar();
    const page = (await s.gql(LINES, { s: 'big', since: at(3005), first: 200 }, admin)).data
      .logLines;
    const read = rchar() - before;
    expect(shown(page)).toEqual([5, 6, 7, 8, 9].map((j) => `big.log: ${at(3000 + j)} now ${j}`));
    expect(read).toBeLessThan(gzBytes / 20);

    // a jump into the middle .gz finds its place there (the newer .gz only had its head read)
    const mid = (await s.gql(LINES, { s: 'big', since: at(1080), first: 3 }, admin)).data
      .logLines as Line[];
    expect(mid.map((l) => l.file)).toEqual(['big.log.2.gz', 'big.log.2.gz', 'big.log.2.gz']);
    expect(mid.map((l) => l.text.slice(0, 24))).toEqual([at(1080), at(1080.01), at(1080.02)]);
  });
});

describe('GET /logs/:source/lines.txt across rotated files', () => {
  const get = (p: string) =>
    fetch(`${server.s.url}${p}`, { headers: { authorization: `Bearer ${server.admin.token}` } });

  it('downloads a range across rotation, and honours where as logLines does', async () => {
    const { s, admin } = server;
    const range = await get(
      `/logs/hist/lines.txt?${new URLSearchParams({ since: at(5), until: at(25) })}`,
    );
    expect(range.status).toBe(200);
    expect((await range.text()).split('\n')).toEqual([
      ...[...expectLines(5, 20), 'hist.log:   at cut by rotation', ...expectLines(20, 25)].map(
        (l) => l.replace(/^[^:]+: /, ''),
      ),
      '',
    ]);

    const json = (sec: number) =>
      `{"time":"${at(sec)}","level":"${sec % 3 === 0 ? 'error' : 'info'}","msg":"request ${sec}","status":${sec % 3 === 0 ? 500 : 200}}\n`;
    await history(
      'jhist',
      [0, 1, 2].map((k) => Array.from({ length: 10 }, (_, j) => json(10 * k + j)).join('')),
    );
    const q = { since: at(2), until: at(28), where: 'level=error status>=500' };
    const body = await (await get(`/logs/jhist/lines.txt?${new URLSearchParams(q)}`)).text();
    const want = [3, 6, 9, 12, 15, 18, 21, 24, 27].map((sec) => json(sec).trimEnd());
    expect(body.split('\n')).toEqual([...want, '']);
    const viaGql = await s.gql(
      `query($w: String) { logLines(source: "jhist", since: "${at(2)}", until: "${at(28)}", first: 100, where: $w) { kind text } }`,
      { w: q.where },
      admin,
    );
    expect(
      viaGql.data.logLines.filter((l: Line) => l.kind === 'LINE').map((l: Line) => l.text),
    ).toEqual(want);

    // the same refusal as logLines: where on a format: text source
    writeFileSync(path.join(s.dir, 'plain.log'), `${at(1)} hello\n`);
    const refused = await get(`/logs/plain/lines.txt?where=${encodeURIComponent('level=error')}`);
    expect(refused.status).toBe(400);
    const err = (await refused.json()).errors[0];
    expect(err.extensions.code).toBe('BAD_USER_INPUT');
    const g = await s.gql(
      `{ logLines(source: "plain", where: "level=error") { text } }`,
      {},
      admin,
    );
    expect(err.message).toBe(g.errors![0]!.message);
  });
});
