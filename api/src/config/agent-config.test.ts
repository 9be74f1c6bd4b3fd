import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusals } from './agent-config.testkit.js';
import {
  AgentConfigError,
  loadAgentConfig,
  watchAgentConfig,
  type AgentConfig,
} from './agent-config.js';
import { waitUntil } from '../test/wait.js';

let dir: string;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(path.join(tmpdir(), 'agent-config-')));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function write(name: string, text: string) {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

const problemsOf = (file: string): Promise<string[]> => refusals(loadAgentConfig(file));

describe('loadAgentConfig', () => {
  it('loads the shipped agent.yaml', async () => {
    const shipped = fileURLToPath(new URL('../../../agent.yaml', import.meta.url));
    const config = await loadAgentConfig(shipped);
    expect(config.commands.map((c) => c.name)).toContain('disk-usage');
    expect(config.logs).toEqual([
      {
        name: 'system',
        path: path.join(path.dirname(shipped), 'logs/system.log'),
        roles: ['admin'],
        format: 'auto',
      },
    ]);
  });

  it('applies the documented defaults', async () => {
    const file = await write(
      'agent.yaml',
      'commands:\n  - name: hi\n    title: Hi\n    argv: [echo, "{{who}}"]\n    args:\n      - { name: who, type: string }\n',
    );
    const config = await loadAgentConfig(file);
    expect(config.limits).toEqual({
      maxRunning: 8,
      subscriptionsPerSocket: 100,
      subscriptionsPerUser: 200,
      socketsPerUser: 20,
    });
    expect(config.logs).toEqual([]);
    expect(config.commands[0]).toMatchObject({
      timeout: 60,
      maxConcurrent: 1,
      roles: ['admin'],
      env: {},
      maxOutputBytes: 1024 * 1024 * 1024,
    });
    expect(config.commands[0].args[0]).toMatchObject({
      required: true,
      maxLength: 256,
      allowDash: false,
    });
  });

  it('makes an argument with a default optional and compiles patterns as a full match', async () => {
    const file = await write(
      'agent.yaml',
      'commands:\n  - name: hi\n    title: Hi\n    argv: [echo, "{{who}}", "{{n}}"]\n    args:\n' +
        '      - { name: who, type: string, pattern: "[a-z]+|x" }\n      - { name: n, type: int, default: 5 }\n',
    );
    const [who, n] = (await loadAgentConfig(file)).commands[0].args;
    expect(n).toMatchObject({ required: false, default: '5' });
    if (who.type !== 'string') throw new Error('expected a string argument');
    expect(who.regex?.test('abc')).toBe(true);
    expect(who.regex?.test('abc;id')).toBe(false); // alternation cannot escape the anchors
    expect(who.regex?.test('x1')).toBe(false);
  });

  it('lists every error with its path at once', async () => {
    const file = await write(
      'agent.yaml',
      `commands:
  - name: Bad_Name
    title: One
    argv: ["{{x}}", "{{x}}", "{{nope}}"]
    args:
      - { name: x, type: string, pattern: "a)|(b" }
      - { name: y, type: int, min: 5, max: 1 }
      - { name: z, type: enum, choices: [a, b], default: c }
      - { name: w, type: path, roots: [missing-dir] }
      - { name: v, type: colour }
  - name: dup
    title: Two
    argv: ["true"]
    colour: red
  - name: dup
    title: Three
    argv: ["true"]
    roles: [root]
logs:
  - name: system
    roles: [admin]
  - name: app
    path: app.log
    format: yaml
limits: { maxRunning: 0 }
`,
    );
    const problems = await problemsOf(file);
    const expected = [
      'commands[0].name: must match',
      'commands[0].argv[0]: the program (argv[0]) cannot contain a placeholder',
      'commands[0].argv[2]: unknown placeholder {{nope}}',
      'commands[0].args[0].pattern: invalid regular expression',
      'commands[0].args[1].max: must not be less than min',
      'commands[0].args[2].default: must be one of: a, b',
      `commands[0].args[3].roots[0]: ${path.join(dir, 'missing-dir')} does not exist`,
      'commands[0].args[4].type: must be one of: string, int, boolean, enum, path, file',
      'commands[1]: unknown field(s): colour',
      'commands[2].name: duplicate command name "dup" (also at commands[1])',
      'commands[2].roles[0]:',
      'logs[0].path: is required',
      'logs[1].format: must be one of: text, json, auto',
      'limits.maxRunning:',
    ];
    for (const e of expected)
      expect(
        problems.some((p) => p.startsWith(e)),
        `${e}\nin:\n${problems.join('\n')}`,
      ).toBe(true);
    expect(problems).toHaveLength(expected.length);
    expect(problems.find((p) => p.startsWith('commands[0].args[0].pattern'))).toMatch(
      /\(line 6\)$/,
    );
  });

  it('refuses an unknown placeholder but leaves other braces literal', async () => {
    const bad = await write(
      'bad.yaml',
      'commands:\n  - name: a\n    title: A\n    argv: [echo, "--since={{days}}"]\n',
    );
    expect(await problemsOf(bad)).toEqual([
      'commands[0].argv[1]: unknown placeholder {{days}}: no argument named "days" (line 4)',
    ]);
    const good = await write(
      'good.yaml',
      'commands:\n  - name: a\n    title: A\n    argv: [docker, ps, --format, "{{.Names}}"]\n',
    );
    expect((await loadAgentConfig(good)).commands[0].argv[3]).toBe('{{.Names}}');
  });

  it('resolves relative paths against the config folder and canonicalises roots', async () => {
    await mkdir(path.join(dir, 'real-root'));
    await mkdir(path.join(dir, 'conf'));
    await symlink(path.join(dir, 'real-root'), path.join(dir, 'conf', 'link-root'));
    const file = await write(
      'conf/agent.yaml',
      'commands:\n  - name: ls\n    title: List\n    argv: [ls, "{{d}}"]\n    cwd: link-root\n    args:\n      - { name: d, type: path, roots: [link-root, /] }\n' +
        'logs:\n  - { name: own, path: logs/system.log }\n  - { name: up, path: ../up.log }\n  - { name: abs, path: /var/log/syslog }\n' +
        '  - { name: via, path: link-root/sub/x.log }\n',
    );
    const config = await loadAgentConfig(file);
    // a log path's folders are canonicalised at load (a later swap for a symlink is then refused)
    expect(config.logs.map((l) => l.path)).toEqual([
      path.join(dir, 'conf/logs/system.log'),
      path.join(dir, 'up.log'),
      path.join(realpathSync('/var/log'), 'syslog'),
      path.join(dir, 'real-root/sub/x.log'),
    ]);
    expect(config.commands[0].cwd).toBe(path.join(dir, 'real-root'));
    expect(config.commands[0].args[0]).toMatchObject({ roots: [path.join(dir, 'real-root'), '/'] });
  });

  it('reports YAML syntax errors with their line', async () => {
    const file = await write(
      'agent.yaml',
      'commands:\n  - name: a\n  - name: a\n    title: [unclosed\n',
    );
    expect((await problemsOf(file))[0]).toMatch(/^line \d+, column \d+: /);
  });

  it('refuses a file that lists nothing unless it says `commands: []`', async () => {
    const nothing = '(top level): lists no commands and no log sources.';
    for (const text of ['', '# all gone\n', 'limits: { maxRunning: 2 }\n', 'logs: []\n']) {
      const problems = await problemsOf(await write('agent.yaml', text));
      expect(problems, JSON.stringify(text)).toHaveLength(1);
      expect(problems[0]).toMatch(nothing);
      expect(problems[0]).toContain('write `commands: []` in it');
    }
    expect(await problemsOf(await write('agent.yaml', 'commands:\n'))).toEqual([
      'commands: is empty: list entries under it, or write `commands: []` to have none (line 1)',
    ]);
    expect(await loadAgentConfig(await write('agent.yaml', 'commands: []\n'))).toMatchObject({
      commands: [],
      logs: [],
    });
    expect(
      await loadAgentConfig(await write('agent.yaml', 'commands: []\nlogs: []\n')),
    ).toMatchObject({ commands: [], logs: [] });
  });

  it('reports an unreadable file', async () => {
    expect(await problemsOf(path.join(dir, 'absent.yaml'))).toEqual([
      'cannot read the file (ENOENT)',
    ]);
  });
});

describe('watchAgentConfig', () => {
  const good = (name: string) => `commands:\n  - name: ${name}\n    title: T\n    argv: [echo]\n`;

  it('applies good edits, reports bad ones and ignores other files', async () => {
    const file = await write('agent.yaml', good('first'));
    const changes: AgentConfig[] = [];
    const errors: Error[] = [];
    const watcher = watchAgentConfig(
      file,
      (c) => changes.push(c),
      (e) => errors.push(e),
      50,
    );
    try {
      await writeFile(file, good('second'));
      await waitUntil(() => changes.length === 1, { what: 'the watcher' });
      expect(changes[0].commands[0].name).toBe('second');

      await writeFile(file, good('Bad Name'));
      await waitUntil(() => errors.length === 1, { what: 'the watcher' });
      expect(errors[0]).toBeInstanceOf(AgentConfigError);
      expect(errors[0].message).toContain('commands[0].name: must match');
      expect(changes).toHaveLength(1); // the last good config stays in effect

      // Editors that save by renaming a new file over the old one.
      await writeFile(path.join(dir, '.agent.yaml.swp'), good('third'));
      await rename(path.join(dir, '.agent.yaml.swp'), file);
      await waitUntil(() => changes.length === 2, { what: 'the watcher' });
      expect(changes[1].commands[0].name).toBe('third');

      await writeFile(path.join(dir, 'unrelated.txt'), 'x');
      await new Promise((r) => setTimeout(r, 300));
      expect(changes).toHaveLength(2);
    } finally {
      watcher.close();
    }
  });
});
