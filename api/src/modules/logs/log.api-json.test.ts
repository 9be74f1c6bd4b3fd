// JSON logs through the real server: format detection, level/message/fields, where on logLines and logTail.
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { code, endCode } from '../../test/log.api-testkit.js';
import { waitUntil } from '../../test/wait.js';

const AGENT = `commands: []
logs:
  - { name: app, path: app.log, roles: [admin, user] }
  - { name: plain, path: plain.log, roles: [admin, user] }
  - { name: forced, path: app.log, roles: [admin, user], format: text }
  - { name: declared, path: later.log, roles: [admin, user], format: json }
`;
const FIELDS = 'cursor kind text level message fields { name value }';
const LINES = `query($s: String!, $n: Int, $f: String, $w: String) {
  logLines(source: $s, last: $n, filter: $f, where: $w) { ${FIELDS} } }`;
const TAIL = `subscription($s: String!, $b: Int, $f: String, $w: String) {
  logTail(source: $s, backfill: $b, filter: $f, where: $w) { ${FIELDS} } }`;

const pino = (level: number, msg: string, extra: object = {}) =>
  `${JSON.stringify({ level, time: 1765000000000, pid: 1, msg, ...extra })}\n`;

let s: TestServer;
let user: { token: string };
const file = (name: string) => path.join(s.dir, name);
const formats = async () =>
  Object.fromEntries(
    (await s.gql(`{ logSources { name format } }`, {}, user)).data.logSources.map(
      (l: { name: string; format: string }) => [l.name, l.format],
    ),
  );

beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  writeFileSync(
    file('app.log'),
    'started without the logger\n' +
      pino(30, 'listening', { port: 5000 }) +
      pino(50, 'upstream failed', { status: 502, req: { method: 'GET', url: '/api' } }) +
      pino(40, 'slow answer', { status: 200, req: { method: 'POST' } }),
  );
  writeFileSync(file('plain.log'), 'Dec  7 01:00:00 host sshd[1]: accepted\nsecond line\n');
  user = await s.createUser('jo');
});
afterAll(() => s.stop());

describe('JSON log sources', () => {
  it('detects the format of an auto source, and again when the file is replaced', async () => {
    expect(await formats()).toEqual({
      app: 'JSON',
      plain: 'TEXT',
      forced: 'TEXT',
      declared: 'JSON',
    });
    // logrotate's create: the old file moves away, a new one (here JSON) takes the name
    writeFileSync(file('plain.new'), pino(30, 'now json') + pino(30, 'still json'));
    renameSync(file('plain.new'), file('plain.log'));
    expect((await formats()).plain).toBe('JSON');
  });

  it('gives level, message and fields for JSON lines and null for the others', async () => {
    const r = await s.gql(LINES, { s: 'app', n: 4 }, user);
    const [text, info, error] = r.data.logLines;
    expect(text).toMatchObject({
      text: 'started without the logger',
      level: null,
      message: null,
      fields: null,
    });
    expect(info).toMatchObject({
      level: 'info',
      message: 'listening',
      fields: [
        { name: 'pid', value: '1' },
        { name: 'port', value: '5000' },
      ],
    });
    expect(error.fields).toEqual([
      { name: 'pid', value: '1' },
      { name: 'status', value: '502' },
      { name: 'req.method', value: 'GET' },
      { name: 'req.url', value: '/api' },
    ]);
    // the same file as format: text is plain lines
    const forced = (await s.gql(LINES, { s: 'forced', n: 4 }, user)).data.logLines;
    expect(forced.map((l: { level: unknown; fields: unknown }) => [l.level, l.fields])).toEqual(
      Array(4).fill([null, null]),
    );
  });

  it('where keeps the lines whose fields match, together with filter', async () => {
    const msgs = async (vars: object) =>
      (await s.gql(LINES, { s: 'app', ...vars }, user)).data.logLines.map(
        (l: { message: string }) => l.message,
      );
    expect(await msgs({ w: 'level>=warn' })).toEqual(['upstream failed', 'slow answer']);
    expect(await msgs({ w: 'status>=500 req.method=GET' })).toEqual(['upstream failed']);
    expect(await msgs({ w: 'level>=warn', f: 'slow' })).toEqual(['slow answer']);
    expect(await msgs({ w: 'level>=warn', f: 'nothing like it' })).toEqual([]);
    expect(await msgs({ w: 'msg~"failed"', n: 1 })).toEqual(['upstream failed']);
  });

  it('refuses a bad where, and where on a format: text source, as BAD_USER_INPUT', async () => {
    const bad = await s.gql(LINES, { s: 'app', w: 'status>=' }, user);
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0]!.message).toMatch(/expected a value after "status>="/);
    const text = await s.gql(LINES, { s: 'forced', w: 'level=error' }, user);
    expect(code(text)).toBe('BAD_USER_INPUT');
    expect(text.errors![0]!.message).toMatch(/format: text .* use filter instead of where/);
    const t = s.subscribeWs(TAIL, { s: 'app', w: 'x'.repeat(501) }, user);
    await t.waitEnd();
    expect(endCode(t)).toBe('BAD_USER_INPUT');
  });

  it('logTail applies where to backfill and live lines, each subscriber its own', async () => {
    const payloads = (t: { events: any[] }) =>
      t.events.flatMap((e) => (e.data?.logTail ? [e.data.logTail] : []));
    const errors = s.subscribeWs(TAIL, { s: 'app', b: 10, w: 'level>=error' }, user);
    const gets = s.subscribeSse(TAIL, { s: 'app', b: 10, w: 'req.method=GET' }, user);
    const all = s.subscribeWs(TAIL, { s: 'app', b: 1 }, user);
    await errors.waitFor(1);
    await gets.waitFor(1);
    await all.waitFor(1);
    appendFileSync(
      file('app.log'),
      pino(60, 'disk full', { req: { method: 'PUT' } }) +
        'a plain line with level=error in it\n' +
        pino(30, 'fine', { req: { method: 'GET' } }) +
        pino(30, 'done'),
    );
    await all.waitFor(5);
    await waitUntil(() => payloads(errors).length >= 2 && payloads(gets).length >= 2, {
      timeoutMs: 5000,
      what: 'live matches',
    });
    expect(payloads(errors).map((l) => [l.level, l.message])).toEqual([
      ['error', 'upstream failed'],
      ['fatal', 'disk full'],
    ]);
    expect(payloads(gets).map((l) => l.message)).toEqual(['upstream failed', 'fine']);
    expect(payloads(all).map((l) => l.level)).toEqual(['warn', 'fatal', null, 'info', 'info']);
    expect(payloads(gets)[1].fields).toEqual([
      { name: 'pid', value: '1' },
      { name: 'req.method', value: 'GET' },
    ]);
    for (const t of [errors, gets, all]) t.stop();
  });
});
