// Issue 17 item 8: a symlinked folder inside a log source's path must not lead elsewhere. Folders
// are resolved once when agent.yaml is loaded; every later open must reach that same file.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINES, tail, texts, type Tail } from '../../api/src/test/log.api-testkit.js';
import { startServer, type TestServer } from '../../api/src/test/harness.js';
import { waitUntil } from '../../api/src/test/wait.js';

let root: string;
let s: TestServer;
let admin: { token: string };
const at = (...p: string[]) => path.join(root, ...p);

/** A folder holding `name` with these lines. */
function folder(dir: string, name: string, lines: string[]) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), lines.map((l) => `${l}\n`).join(''));
}

beforeAll(async () => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'tiny-agent-links-')));
  folder(at('logs/swapped'), 'app.log', ['real 1']);
  folder(at('logs/live'), 'app.log', ['live 1']);
  folder(at('chosen'), 'via.log', ['chosen 1']);
  symlinkSync(at('chosen'), at('logs/link')); // there at load: the operator chose it
  for (const d of ['secret-a', 'secret-b', 'secret-c'])
    folder(at(d), 'app.log', [`SECRET in ${d}`]);
  folder(at('secret-c'), 'via.log', ['SECRET via']);
  folder(at('secret-d/sub'), 'app.log', ['SECRET later']);
  const agentYaml = `commands: []
logs:
  - { name: swapped, path: ${at('logs/swapped/app.log')} }
  - { name: live, path: ${at('logs/live/app.log')} }
  - { name: linked, path: ${at('logs/link/via.log')} }
  - { name: later, path: ${at('later/sub/app.log')} }
`;
  s = await startServer({}, { agentYaml });
  admin = await s.login();
});
afterAll(async () => {
  await s?.stop();
  rmSync(root, { recursive: true, force: true });
});

const logLines = async (source: string) => {
  const r = await s.gql(LINES, { s: source, n: 50 }, admin);
  expect(r.errors).toBeUndefined();
  return (r.data.logLines as { text: string }[]).map((l) => l.text);
};
const source = async (name: string) =>
  (
    (await s.gql('{ logSources { name exists sizeBytes } }', {}, admin)).data.logSources as {
      name: string;
    }[]
  ).find((l) => l.name === name);
const refusalLogged = (p: string) =>
  s
    .logText()
    .split('\n')
    .some((l) => l.includes('log path refused') && l.includes(JSON.stringify(p).slice(1, -1)));
const noSecret = (t: Tail) => expect(texts(t).filter((x) => x.includes('SECRET'))).toEqual([]);

describe('a folder of a log path replaced by a symlink after the config was loaded', () => {
  it('is not served by logLines, logSources, or a logTail backfill', async () => {
    renameSync(at('logs/swapped'), at('logs/swapped.old'));
    symlinkSync(at('secret-a'), at('logs/swapped'));

    expect(await logLines('swapped')).toEqual([]); // answers as a missing file
    expect(await source('swapped')).toEqual({ name: 'swapped', exists: false, sizeBytes: null });
    expect(refusalLogged(at('logs/swapped/app.log'))).toBe(true);

    const t = tail(s, 'ws', admin, { s: 'swapped', b: 10 });
    try {
      // the real folder comes back and grows: the stream shows it, and never what the link showed
      await waitUntil(() => s.app.services.logHub.stats().followers > 0, {
        timeoutMs: 5000,
        what: 'the tail to start following',
      });
      rmSync(at('logs/swapped'));
      renameSync(at('logs/swapped.old'), at('logs/swapped'));
      appendFileSync(at('logs/swapped/app.log'), 'real 2\n');
      await waitUntil(() => texts(t).includes('real 2'), {
        timeoutMs: 10_000,
        what: 'the real file to be followed again',
      });
      noSecret(t);
      expect(texts(t)).toEqual(['real 1', 'real 2']);
    } finally {
      t.stop();
    }
  });

  it('is not followed by a tail that was already open', async () => {
    const t = tail(s, 'sse', admin, { s: 'live', b: 1 });
    try {
      await t.waitFor(1); // the backfilled line: the tail is following from here
      appendFileSync(at('logs/live/app.log'), 'live 2\n');
      await t.waitFor(2);
      renameSync(at('logs/live'), at('logs/live.old'));
      symlinkSync(at('secret-b'), at('logs/live'));
      appendFileSync(at('secret-b/app.log'), 'SECRET written after the swap\n');
      // the follower notices the path names another file, and refuses to switch to it
      await waitUntil(
        () => refusalLogged(at('logs/live/app.log')) || texts(t).some((x) => x.includes('SECRET')),
        { timeoutMs: 10_000, what: 'the swap to be seen' },
      );
      appendFileSync(at('logs/live.old/app.log'), 'live 3\n'); // the file it had open goes on
      await waitUntil(
        () => texts(t).includes('live 3') || texts(t).some((x) => x.includes('SECRET')),
        { timeoutMs: 10_000, what: 'the next line' },
      );
      noSecret(t);
      expect(texts(t)).toEqual(['live 1', 'live 2', 'live 3']);
    } finally {
      t.stop();
    }
  });
});

describe('a symlinked folder that was there when the config was loaded', () => {
  it('is served, and a later change of that link is not followed', async () => {
    expect(await logLines('linked')).toEqual(['chosen 1']);

    // re-pointed: the source stays on the file the link led to at load
    rmSync(at('logs/link'));
    symlinkSync(at('secret-c'), at('logs/link'));
    expect(await logLines('linked')).toEqual(['chosen 1']);
    expect(await source('linked')).toEqual({ name: 'linked', exists: true, sizeBytes: 9 });

    const t = tail(s, 'ws', admin, { s: 'linked', b: 10 });
    try {
      await t.waitFor(1);
      appendFileSync(at('secret-c/via.log'), 'SECRET written after the change\n');
      appendFileSync(at('chosen/via.log'), 'chosen 2\n');
      await waitUntil(() => texts(t).includes('chosen 2'), {
        timeoutMs: 10_000,
        what: 'the chosen file to be followed',
      });
      noSecret(t);
      expect(texts(t)).toEqual(['chosen 1', 'chosen 2']);
    } finally {
      t.stop();
    }
  });
});

describe('a log folder that did not exist when the config was loaded', () => {
  it('is served once it appears as a real folder, never through a symlink', async () => {
    symlinkSync(at('secret-d'), at('later'));
    expect(await logLines('later')).toEqual([]);
    expect(await source('later')).toMatchObject({ exists: false });

    rmSync(at('later'));
    folder(at('later/sub'), 'app.log', ['later 1']);
    expect(await logLines('later')).toEqual(['later 1']);
    expect(await source('later')).toMatchObject({ exists: true, sizeBytes: 8 });
  });
});
