import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serverForFile } from '../test/harness.js';
import { buildCli, cliDone } from './cli.testkit.js';

const f = serverForFile(
  `commands:\n  - { name: hello, title: Hello, argv: ["echo", "hi"] }\nlogs: []\n`,
);
beforeAll(() => buildCli());

describe('tiny-agent login and the config file', () => {
  it('login stores a 0600 file that later commands use; a readable file is refused', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'tiny-agent-cli-'));
    const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'xdg') };
    const file = path.join(home, 'xdg', 'tiny-agent', 'config.json');

    const wrong = await cliDone(
      ['login', '--url', f.s.url, '--username', 'admin', '--password-stdin'],
      env,
      'not-the-password\n',
    );
    expect(wrong.code).toBe(77);
    expect(wrong.stderr).toContain('UNAUTHENTICATED');

    const ok = await cliDone(
      ['login', '--url', f.s.url, '--username', 'admin', '--password-stdin'],
      env,
      'admin-password-1\n',
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.url).toBe(f.s.url);
    expect(ok.stdout + ok.stderr).not.toContain(stored.token); // never printed
    const tokens = await f.s.gql('{ apiTokens { name } }', {}, { token: stored.token });
    expect(tokens.data.apiTokens[0].name).toMatch(/^cli@/);

    const run = await cliDone(['run', 'hello'], env); // no flag, no env: the file
    expect([run.code, run.stdout]).toEqual([0, 'hi\n']);

    chmodSync(file, 0o644);
    const refused = await cliDone(['commands'], env);
    expect(refused.code).toBe(78);
    expect(refused.stderr).toContain(`chmod 600 ${file}`);
    expect(refused.stderr).not.toContain(stored.token);

    // the file's token is never sent to another server than the file's
    chmodSync(file, 0o600);
    const elsewhere = await cliDone(['commands'], { ...env, TINY_AGENT_URL: 'http://127.0.0.1:9' });
    expect(elsewhere.code).toBe(69);
  });
});
