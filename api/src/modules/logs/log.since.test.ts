import { appendFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { code } from '../../test/log.api-testkit.js';

const AGENT = `commands: []
logs:
  - name: app
    path: app.log
    roles: [admin, user]
  - name: rot
    path: rot.log
    roles: [admin, user]
`;
const PAGE = `query($s: String!, $since: DateTime, $until: DateTime, $first: Int, $after: String,
  $last: Int, $before: String, $f: String) {
  logLines(source: $s, since: $since, until: $until, first: $first, after: $after, last: $last,
    before: $before, filter: $f) { cursor kind text time } }`;
const TAIL = `subscription($s: String!, $since: DateTime, $b: Int, $a: String) {
  logTail(source: $s, since: $since, backfill: $b, after: $a) { cursor kind text time } }`;

const T0 = Date.UTC(2026, 11, 7, 0, 0, 0);
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();
const N = 20_000; // one line a minute, every 10th followed by a stack trace

let s: TestServer;
let auth: { token: string };
type Line = { cursor: string; kind: string; text: string; time: string | null };
const page = async (vars: Record<string, unknown>): Promise<Line[]> => {
  const r = await s.gql(PAGE, { s: 'app', ...vars }, auth);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data.logLines;
};
const minutes = (lines: Line[]) =>
  lines.filter((l) => l.time).map((l) => (Date.parse(l.time!) - T0) / 60_000);

beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  const parts: string[] = ['untimed first line\n'];
  for (let i = 0; i < N; i++) {
    parts.push(`${at(i)} INFO job ${i} done\n`);
    if (i % 10 === 5) parts.push(`Traceback of ${i}:\n  File "x.py", line ${i}\n`);
  }
  writeFileSync(path.join(s.dir, 'app.log'), parts.join(''));
  auth = await s.createUser('lena');
});
afterAll(() => s.stop());

describe('logLines since/until', () => {
  it('gives the lines since <= time < until, untimed lines with the timed line before them', async () => {
    const lines = await page({ since: at(14_003), until: at(14_007) });
    expect(lines.map((l) => l.text)).toEqual([
      `${at(14_003)} INFO job 14003 done`,
      `${at(14_004)} INFO job 14004 done`,
      `${at(14_005)} INFO job 14005 done`,
      'Traceback of 14005:',
      '  File "x.py", line 14005',
      `${at(14_006)} INFO job 14006 done`,
    ]);
    expect(lines.map((l) => l.time)).toEqual([
      at(14_003),
      at(14_004),
      at(14_005),
      null,
      null,
      at(14_006),
    ]);
    // a time between two lines starts at the next one; a range before the file is empty
    expect(
      minutes(await page({ since: new Date(T0 + 90_000).toISOString(), until: at(3) })),
    ).toEqual([2]);
    expect(await page({ until: at(0) })).toEqual([]);
  });

  it('pages back inside the range and never past since; forward from since, then after a cursor', async () => {
    const last = await page({ since: at(100), until: at(200), last: 7 });
    expect(minutes(last)).toEqual([195, 196, 197, 198, 199]);
    expect(last).toHaveLength(7); // 195's stack trace goes with it
    const back = await page({
      since: at(100),
      until: at(200),
      last: 5000,
      before: last[0]!.cursor,
    });
    expect(minutes(back)[0]).toBe(100);
    expect(minutes(back).at(-1)).toBe(194);
    expect(back[0]!.text).toBe(`${at(100)} INFO job 100 done`);
    expect(back).toHaveLength(95 + 2 * 9); // 100..194, and the traces of 105, 115, … 185

    const first = await page({ since: at(500), first: 3 });
    expect(first.map((l) => l.text)).toEqual([
      `${at(500)} INFO job 500 done`,
      `${at(501)} INFO job 501 done`,
      `${at(502)} INFO job 502 done`,
    ]);
    const next = await page({ after: first[2]!.cursor, first: 4 });
    expect(next.map((l) => l.text)).toEqual([
      `${at(503)} INFO job 503 done`,
      `${at(504)} INFO job 504 done`,
      `${at(505)} INFO job 505 done`,
      'Traceback of 505:',
    ]);
    // until bounds forward pages too; filters still apply
    expect(minutes(await page({ after: first[2]!.cursor, until: at(506), first: 100 }))).toEqual([
      503, 504, 505,
    ]);
    const filtered = await page({ since: at(19_000), first: 3, f: '/job 19\\d\\d7 /' });
    expect(minutes(filtered)).toEqual([19_007, 19_017, 19_027]);
  });

  it('pages forward from a cursor of a rotated file: its rest, ROTATED, the new file; of a deleted one: ROTATED, the new file', async () => {
    const rot = path.join(s.dir, 'rot.log');
    writeFileSync(rot, `${at(0)} old 0\n${at(1)} old 1\n`);
    const [first] = await page({ s: 'rot', first: 1 });
    renameSync(rot, `${rot}.1`);
    writeFileSync(rot, `${at(2)} new 2\n`);
    const next = await page({ s: 'rot', after: first!.cursor, first: 10 });
    expect(next.map((l) => [l.kind, l.text])).toEqual([
      ['LINE', `${at(1)} old 1`],
      ['ROTATED', ''],
      ['LINE', `${at(2)} new 2`],
    ]);
    expect((await page({ s: 'rot', before: first!.cursor, last: 10 })).map((l) => l.text)).toEqual(
      [],
    );
    // the rotated file gone from the history: ROTATED, then the current file from its start
    rmSync(`${rot}.1`);
    const gone = await page({ s: 'rot', after: first!.cursor, first: 10 });
    expect(gone.map((l) => [l.kind, l.text])).toEqual([
      ['ROTATED', ''],
      ['LINE', `${at(2)} new 2`],
    ]);
    // back from it: nothing older
    expect(await page({ s: 'rot', before: first!.cursor, last: 10 })).toEqual([]);
  });

  it('refuses contradictory or out-of-range arguments with BAD_USER_INPUT and a clear message', async () => {
    const refused = async (vars: Record<string, unknown>, message: RegExp) => {
      const r = await s.gql(PAGE, { s: 'app', ...vars }, auth);
      expect(code(r), JSON.stringify(vars)).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.message).toMatch(message);
    };
    const [one] = await page({ first: 1 });
    await refused({ first: 5, last: 5 }, /either first .* or last/);
    await refused({ after: one!.cursor, before: one!.cursor }, /either after or before/);
    await refused({ after: one!.cursor, last: 5 }, /after pages forward/);
    await refused({ first: 5001 }, /first must be between 0 and 5000/);
    await refused({ since: at(10), until: at(10) }, /since.*before.*until/);
    await refused({ since: '1969-12-31T23:59:59Z' }, /since must be a date between 1970-01-01/);
    expect(code(await s.gql(PAGE, { s: 'app', until: 'yesterday' }, auth))).toBe('BAD_USER_INPUT');
  });
});

describe('logTail since', () => {
  it('backfills the lines since a time (the latest ones when capped), then live lines', async () => {
    const t = s.subscribeWs(TAIL, { s: 'app', since: at(N - 3) }, { token: auth.token });
    await t.waitFor(3);
    appendFileSync(path.join(s.dir, 'app.log'), `${at(N)} INFO job live\n`);
    await t.waitFor(4);
    const got = t.events.map((e) => e.data.logTail);
    expect(got.map((l: Line) => l.text)).toEqual([
      `${at(N - 3)} INFO job ${N - 3} done`,
      `${at(N - 2)} INFO job ${N - 2} done`,
      `${at(N - 1)} INFO job ${N - 1} done`,
      `${at(N)} INFO job live`,
    ]);
    expect(got[3].time).toBe(at(N));
    t.stop();

    const capped = s.subscribeWs(TAIL, { s: 'app', since: at(0), b: 2 }, { token: auth.token });
    await capped.waitFor(2);
    expect(capped.events.map((e) => e.data.logTail.text)).toEqual([
      `${at(N - 1)} INFO job ${N - 1} done`,
      `${at(N)} INFO job live`,
    ]);
    capped.stop();

    const both = s.subscribeWs(
      TAIL,
      { s: 'app', since: at(0), a: got[0].cursor },
      { token: auth.token },
    );
    const end = await both.waitEnd();
    expect(JSON.stringify(end.error ?? both.events)).toMatch(/either since or after/);
  });
});
