import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverForFile, type Auth } from '../../test/harness.js';

// Real log files appended by the test while the run waits for a flag file.
const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-run-logs-'));
const APP = path.join(dir, 'app.log');
const SECRET = path.join(dir, 'secret.log');
const FLAG = path.join(dir, 'flag');
writeFileSync(APP, 'before 1\nbefore 2\n');
writeFileSync(SECRET, 'secret before\n');

const server = serverForFile(`commands:
  - name: restart
    title: Restart
    argv: [sh, -c, 'echo started; while [ ! -e "$FLAG" ]; do sleep 0.05; done; echo done']
    env: { FLAG: ${FLAG} }
    roles: [admin, user]
    watchLogs: [app, secret]
logs:
  - { name: app, path: ${APP}, roles: [admin, user], format: text }
  - { name: secret, path: ${SECRET}, roles: [admin], format: text }
`);

const RUN = `query($id: ID!) { commandRun(id: $id) { status output { data }
  watchedLogs { source readable from to since until lines { text cursor } } } }`;
const LINES = `query($s: String!, $after: String) { logLines(source: $s, after: $after, first: 100) { text cursor } }`;

interface Window {
  source: string;
  readable: boolean;
  from: string | null;
  to: string | null;
  since: string;
  until: string | null;
  lines: { text: string; cursor: string }[];
}
const texts = (w: Window | undefined) => w?.lines.map((l) => l.text);

describe('a run beside the logs its command watches', () => {
  it('keeps the cursors of the run’s window: its lines are exactly those written during the run, for readers of each source only', async () => {
    const { s, admin } = server;
    const user = await s.createUser('watcher');
    const run = async (auth: Auth) => {
      const r = await s.gql(RUN, { id }, auth);
      expect(r.errors).toBeUndefined();
      return r.data.commandRun as {
        status: string;
        output: { data: string }[];
        watchedLogs: Window[];
      };
    };
    const started = await s.gql(`mutation { runCommand(name: "restart") { id } }`, {}, user);
    const id = started.data.runCommand.id as string;
    // the process prints only once spawned, after the start cursors were taken
    await expect
      .poll(async () => (await run(user)).output.map((c) => c.data).join(''), { timeout: 10_000 })
      .toContain('started');
    appendFileSync(APP, 'during 1\nduring 2\n');
    appendFileSync(SECRET, 'secret during\n');

    const live = (await run(user)).watchedLogs;
    expect(live.map((w) => w.source)).toEqual(['app']); // not the admin-only source, not its name
    expect(live[0]).toMatchObject({ readable: true, to: null, until: null });
    expect(texts(live[0])).toEqual(['during 1', 'during 2']);

    writeFileSync(FLAG, '');
    await expect
      .poll(async () => (await run(user)).watchedLogs[0]?.to, { timeout: 10_000 })
      .toBeTruthy();
    appendFileSync(APP, 'after 1\n');
    appendFileSync(SECRET, 'secret after\n');

    const ended = await run(user);
    expect(ended.status).toBe('SUCCEEDED');
    const [app] = ended.watchedLogs;
    expect(texts(app)).toEqual(['during 1', 'during 2']);
    expect(app.until).not.toBeNull();
    // the plain logLines API reads the same window from the stored cursors
    const after = (await s.gql(LINES, { s: 'app', after: app.from }, user)).data.logLines;
    expect(after.map((l: { text: string }) => l.text)).toEqual(['during 1', 'during 2', 'after 1']);
    expect(after[1].cursor).toBe(app.to);

    const asAdmin = (await run(admin)).watchedLogs;
    expect(asAdmin.map((w) => [w.source, texts(w)])).toEqual([
      ['app', ['during 1', 'during 2']],
      ['secret', ['secret during']],
    ]);
    // the user may not read the source alone either: the cursors give nothing away
    const refused = await s.gql(LINES, { s: 'secret', after: asAdmin[1].from }, user);
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // reopened after the log rotated: the same window, read from the rotated file
    renameSync(APP, `${APP}.1`);
    writeFileSync(APP, 'after rotation\n');
    expect(texts((await run(user)).watchedLogs[0])).toEqual(['during 1', 'during 2']);
  });
});
