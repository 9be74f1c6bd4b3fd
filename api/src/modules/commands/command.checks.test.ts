// Output checks end to end: a real server runs real commands whose output fails or passes their
// failOn/successOn patterns, and whose extract patterns fill the run's result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';
import { httpReceiver } from '../notify/notify.testkit.js';

const AGENT = (receiver: string) => String.raw`
commands:
  - name: disk-full
    title: Exits 0 but says the disk is full
    argv: [sh, -c, 'echo starting; echo "write: No space left on device" >&2; echo done; exit 0']
    failOn: ['/ERROR|FATAL/', 'No space left']
    notify: [{ target: failures }]
  - name: fatal-exit
    title: Fails and says why
    argv: [sh, -c, 'echo "FATAL: config broken"; exit 3']
    failOn: ['/ERROR|FATAL/']
  - name: backup-quiet
    title: Backup that did nothing
    argv: [sh, -c, 'echo "nothing to do"']
    successOn: ['/Backup complete: \d+ files/']
  - name: backup-ok
    title: Backup that finished
    argv: [sh, -c, 'echo "copying"; echo "Backup complete: 42 files"']
    successOn: ['/Backup complete: \d+ files/']
    failOn: ['/ERROR/']
  - name: df
    title: Free space
    argv:
      - sh
      - -c
      - |
        printf 'Filesystem      Size  Used Avail Use%% Mounted on\n'
        printf 'tmpfs           2.0G     0  2.0G   0%% /dev/shm\n'
        printf '/dev/sda1        50G   38G   12G  77%% /\n'
    extract: ['/(?<free>\d+[KMGT]?)\s+\d+%\s+\/$/', '/(?<use>\d+)%\s+\/$/', '/^(?<device>\/dev\/\S+)/']
  - name: split
    title: Writes a matching line in two writes
    argv: [sh, -c, 'printf ERR; sleep 0.3; printf "OR: disk\n"']
    failOn: ['/ERROR/']
  - name: partial-end
    title: Its last line has no newline
    argv: [sh, -c, 'echo fine; printf "FATAL at the very end"']
    failOn: [FATAL]
  - name: long-hidden
    title: A match past the first 64 KiB of a line is not seen
    argv: [sh, -c, 'head -c 70000 /dev/zero | tr "\0" x; echo " ERROR hidden"; echo fine']
    failOn: [ERROR]
  - name: long-reason
    title: A very long matching line
    argv: [sh, -c, 'printf ERROR; head -c 100000 /dev/zero | tr "\0" y; echo']
    failOn: [ERROR]
  - name: capped
    title: The match comes after the output cap
    argv: [sh, -c, 'head -c 5000 /dev/zero | tr "\0" z; echo; echo "FATAL: late"']
    maxOutputBytes: 1000
    failOn: [FATAL]
  - name: plain
    title: No patterns
    argv: [sh, -c, 'echo "ERROR is just a word here"']
notify:
  - { name: failures, type: webhook, url: "${receiver}/failures" }
`;

let s: TestServer;
let admin: { token: string };
let http: Awaited<ReturnType<typeof httpReceiver>>;
let updates: ReturnType<TestServer['subscribeWs']>;

beforeAll(async () => {
  http = await httpReceiver(() => 200);
  s = await startServer({ NOTIFY_RETRY_BASE_SECONDS: '0.005' }, { agentYaml: AGENT(http.url) });
  admin = await s.login();
  updates = s.subscribeWs(
    `subscription { commandRunUpdated { id status checkReason result { key value } } }`,
    {},
    { token: admin.token },
  );
  await s.listening('runUpdated', 1);
});
afterAll(async () => {
  updates?.stop();
  await s?.stop();
  await http?.close();
});

const RUN_FIELDS = `id status exitCode checkReason result { key value } outputTruncated`;

/** Runs `name`, follows its output to the end; the run as stored, and the output chunks. */
async function run(name: string) {
  const r = await s.gql(
    `mutation($n: String!) { runCommand(name: $n) { id } }`,
    { n: name },
    admin,
  );
  expect(r.errors).toBeUndefined();
  const id: string = r.data.runCommand.id;
  const out = s.subscribeWs(
    `subscription($id: ID!) { commandOutput(runId: $id) { seq data } }`,
    { id },
    { token: admin.token },
  );
  await out.waitEnd(20_000);
  const q = await s.gql(`query($id: ID!) { commandRun(id: $id) { ${RUN_FIELDS} } }`, { id }, admin);
  return {
    run: q.data.commandRun,
    chunks: out.events.map((e) => e.data.commandOutput.data as string),
  };
}

describe('output checks', () => {
  it('fails a run that exited 0 when a failOn pattern matches a line (stderr too), with the line', async () => {
    const { run: r } = await run('disk-full');
    expect(r).toMatchObject({
      status: 'FAILED',
      exitCode: 0,
      checkReason: 'failOn matched: write: No space left on device',
      result: [],
    });
    // the update that announces the end carries the status after the checks
    await waitUntil(() => updates.events.some((e) => e.data.commandRunUpdated.id === r.id), {
      what: 'commandRunUpdated for the run',
    });
    const last = updates.events.filter((e) => e.data.commandRunUpdated.id === r.id).at(-1);
    expect(last.data.commandRunUpdated).toMatchObject({
      status: 'FAILED',
      checkReason: 'failOn matched: write: No space left on device',
    });
  });

  it('says the failOn reason in the notification of the failed run', async () => {
    await waitUntil(() => http.at('/failures').length > 0, {
      timeoutMs: 10_000,
      what: 'the failure notification',
    });
    const body = JSON.parse(http.at('/failures')[0]!.body);
    expect(body).toMatchObject({
      event: 'RUN_FAILED',
      command: 'disk-full',
      status: 'FAILED',
      exitCode: 0,
      checkReason: 'failOn matched: write: No space left on device',
    });
    expect(body.subject).toMatch(/^disk-full failed an output check \(exit 0\) on /);
    expect(body.body).toContain('Output check: failOn matched: write: No space left on device');
  });

  it('keeps a non-zero exit FAILED with its exit code, and still tells the failOn line', async () => {
    const { run: r } = await run('fatal-exit');
    expect(r).toMatchObject({
      status: 'FAILED',
      exitCode: 3,
      checkReason: 'failOn matched: FATAL: config broken',
    });
  });

  it('fails a run that exited 0 without a successOn match, and passes one with it', async () => {
    const quiet = (await run('backup-quiet')).run;
    expect(quiet.status).toBe('FAILED');
    expect(quiet.exitCode).toBe(0);
    expect(quiet.checkReason).toMatch(
      /^successOn: no line matched \/Backup complete: \\d\+ files\/ /,
    );
    const ok = (await run('backup-ok')).run;
    expect(ok).toMatchObject({ status: 'SUCCEEDED', exitCode: 0, checkReason: null });
  });

  it('extracts named captures from df -h style output into the result', async () => {
    const { run: r } = await run('df');
    expect(r.status).toBe('SUCCEEDED');
    expect(r.result).toEqual([
      { key: 'free', value: '12G' },
      { key: 'use', value: '77' },
      { key: 'device', value: '/dev/sda1' },
    ]);
  });

  it('finds a match in a line that arrived in two writes', async () => {
    const { run: r, chunks } = await run('split');
    expect(chunks[0]).toBe('ERR'); // the line really came in two pieces
    expect(r).toMatchObject({ status: 'FAILED', checkReason: 'failOn matched: ERROR: disk' });
  });

  it('checks a last line that has no newline', async () => {
    const { run: r } = await run('partial-end');
    expect(r).toMatchObject({
      status: 'FAILED',
      checkReason: 'failOn matched: FATAL at the very end',
    });
  });

  it('checks the first 64 KiB of a very long line, and bounds the reason', async () => {
    const hidden = (await run('long-hidden')).run;
    expect(hidden).toMatchObject({ status: 'SUCCEEDED', checkReason: null });
    const long = (await run('long-reason')).run;
    expect(long.status).toBe('FAILED');
    expect(long.checkReason).toHaveLength(1000);
    expect(long.checkReason).toMatch(/^failOn matched: ERRORy+…$/);
  });

  it('checks output past maxOutputBytes, which is not stored', async () => {
    const { run: r } = await run('capped');
    expect(r).toMatchObject({
      status: 'FAILED',
      outputTruncated: true,
      checkReason: 'failOn matched: FATAL: late',
    });
  });

  it('leaves a command without patterns as it was', async () => {
    const { run: r } = await run('plain');
    expect(r).toMatchObject({ status: 'SUCCEEDED', checkReason: null, result: [] });
  });

  it("lists a command's patterns", async () => {
    const r = await s.gql(`{ commands { name failOn successOn extract } }`, {}, admin);
    const byName = new Map(r.data.commands.map((c: { name: string }) => [c.name, c]));
    expect(byName.get('backup-ok')).toEqual({
      name: 'backup-ok',
      failOn: ['/ERROR/'],
      successOn: ['/Backup complete: \\d+ files/'],
      extract: [],
    });
    expect(byName.get('plain')).toMatchObject({ failOn: [], successOn: [], extract: [] });
  });
});
