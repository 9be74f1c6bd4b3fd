import { spawn } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { requireTool, ROOT } from './deploy/tools.js';

// The README's API examples, run as a user pastes them: the blocks marked `<!-- snippet: NAME -->`,
// against a real server on the shipped agent.yaml, with only the address 127.0.0.1:5000 replaced.
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const README_ADDRESS = '127.0.0.1:5000';

/** The fenced block right after `<!-- snippet: name … -->` in README.md. */
function snippet(name: string): string {
  const m = new RegExp(
    `<!-- snippet: ${name}\\b[^>]*-->\\s*\`\`\`[^\\n]*\\n([\\s\\S]*?)\\n\`\`\``,
  ).exec(README);
  if (!m) throw new Error(`README.md has no fenced block marked <!-- snippet: ${name} -->`);
  expect(m[1], `the ${name} snippet talks to ${README_ADDRESS}`).toContain(README_ADDRESS);
  return m[1]!;
}

/**
 * Runs a program in the server's folder (where `data/` is) with a clean environment and no stdin
 * (bash reads bashrc when its stdin is a socket, as Node's pipes are). Rejects on a non-zero exit.
 */
function exec(
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(file, args, {
    cwd,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) =>
    child.on('close', (code, signal) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(
            new Error(`${file} exited ${code ?? signal}\nstdout:\n${stdout}\nstderr:\n${stderr}`),
          ),
    ),
  );
}

describe('README: Using the API', () => {
  let s: TestServer;
  let address: string;

  beforeAll(async () => {
    requireTool('curl', ['--version'], 'curl');
    // as a fresh install starts: no ADMIN_PASSWORD, so the admin's password is generated into data/
    s = await startServer(
      {},
      {
        agentYaml: readFileSync(path.join(ROOT, 'agent.yaml'), 'utf8'),
        configure: (c) => (c.ADMIN_PASSWORD = undefined),
      },
    );
    address = new URL(s.url).host;
  });
  afterAll(() => s?.stop());

  it('the curl block signs in, makes an API token, runs uptime with it and streams its output over SSE', async () => {
    // the variables the block sets, printed after it so they can be checked
    const probe = `\nprintf '\\nPROBE %s %s %s\\n' "$TOKEN" "$API_TOKEN" "$RUN_ID"`;
    const script = snippet('curl').replaceAll(README_ADDRESS, address) + probe;
    const { stdout, stderr } = await exec('bash', ['-euo', 'pipefail', '-c', script], s.dir);

    expect(stderr, 'curl prints no progress meter or error').toBe('');
    const [, token, secret, runId] = /^PROBE (\S+) (\S+) (\S+)$/m.exec(stdout) ?? [];
    expect(token, stdout).toMatch(/^[\w-]{20,}$/);
    expect(secret, stdout).toMatch(/^[\w-]{20,}$/);
    const me = await s.gql('{ me { username role } }', {}, { token: secret });
    expect(me.data?.me, 'the API token signs in as the admin').toEqual({
      username: 'admin',
      role: 'ADMIN',
    });
    const stored = await s.gql(
      'query($id: ID!) { commandRun(id: $id) { commandName } }',
      { id: runId },
      { token: secret },
    );
    expect(stored.data?.commandRun?.commandName, `run id ${runId}`).toBe('uptime');

    // the SSE stream: uptime's output, then the end of the stream
    expect(stdout).toMatch(/^event: next\ndata: .*"commandOutput".*load average/m);
    expect(stdout).toMatch(/^event: complete$/m);
  });

  it('the graphql-ws client block runs on Node with the ws package and prints the output of a run', async () => {
    // a token as the curl block makes one: sign in with the generated password
    const { token } = await s.login(
      'admin',
      readFileSync(path.join(s.config.DATA_DIR, 'initial-admin-password'), 'utf8').trim(),
    );
    // the reader's own project: the packages the block names, installed
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(s.dir, 'node_modules'), 'dir');
    writeFileSync(
      path.join(s.dir, 'client.mjs'),
      snippet('client').replaceAll(README_ADDRESS, address),
    );
    const { stdout, stderr } = await exec(process.execPath, ['client.mjs'], s.dir, {
      TOKEN: token,
    });

    expect(stderr).toBe('');
    expect(stdout).toMatch(/load average/);
  });
});
