import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAgentConfig, type CommandSpec } from '../../config/agent-config.js';
import { BadUserInputError, NotFoundError } from '../../errors.js';
import { isInside, resolveArgv, type CommandArgInput } from './command.args.js';
import { childEnv, startProcess } from './command.runner.js';

let dir: string;
const commands = new Map<string, CommandSpec>();

// Real specs through the real loader: the tests see exactly what the server will.
beforeAll(async () => {
  dir = await realpath(await mkdtemp(path.join(tmpdir(), 'command-args-')));
  await mkdir(path.join(dir, 'logs/app'), { recursive: true });
  await mkdir(path.join(dir, 'logs2'));
  await mkdir(path.join(dir, 'secret'));
  await writeFile(path.join(dir, 'logs/app/today.log'), 'x');
  await writeFile(path.join(dir, 'logs2/other.log'), 'x');
  await writeFile(path.join(dir, 'secret/key'), 'x');
  await symlink(path.join(dir, 'secret/key'), path.join(dir, 'logs/escape'));
  await symlink(path.join(dir, 'logs/app/today.log'), path.join(dir, 'logs/alias.log'));
  const yaml = `commands:
  - { name: df, title: df, argv: [df, "{{mount}}"], args: [{ name: mount, type: enum, choices: ["/", "/var"], default: "/" }] }
  - { name: say, title: say, argv: ["${process.execPath}", "-e", "process.stdout.write(JSON.stringify(process.argv.slice(1)))", "{{text}}", "x={{text}}"],
      args: [{ name: text, type: string, maxLength: 40 }] }
  - { name: hi, title: hi, argv: [echo, "{{who}}"], args: [{ name: who, type: string, pattern: "[a-z]+" }] }
  - { name: num, title: num, argv: [seq, "{{n}}"], args: [{ name: n, type: int, min: 1, max: 100 }] }
  - { name: neg, title: neg, argv: [seq, "{{n}}"], args: [{ name: n, type: int, min: -10, allowDash: true }] }
  - { name: flag, title: flag, argv: [x, "--verbose={{on}}"], args: [{ name: on, type: boolean }] }
  - { name: grep, title: grep, argv: [grep, "{{expr}}"], args: [{ name: expr, type: string, allowDash: true }] }
  - { name: cat, title: cat, argv: [cat, "--", "{{p}}"], args: [{ name: p, type: path, roots: [logs] }] }
  - { name: up, title: up, argv: [sha256sum, "{{f}}"], args: [{ name: f, type: file }] }
  - { name: log, title: log, argv: [journalctl, "--since={{days}} days ago", "-u", "{{unit}}"],
      args: [{ name: days, type: int, required: false }, { name: unit, type: string }] }
  - { name: none, title: none, argv: [uptime] }
`;
  for (const c of (await parseAgentConfig(yaml, path.join(dir, 'agent.yaml'))).commands)
    commands.set(c.name, c);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const noFiles = {
  resolveFile: async (id: string): Promise<string> =>
    Promise.reject(new NotFoundError(`File ${id}`)),
};
const run = (name: string, input: CommandArgInput[], opts = noFiles) =>
  resolveArgv(commands.get(name)!, input, opts);
const one = (name: string, argName: string, value: string) => run(name, [{ name: argName, value }]);
async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BadUserInputError);
  return (err as Error).message;
}

describe('resolveArgv', () => {
  it('enum: accepts a choice, uses the default, refuses anything else', async () => {
    expect(await one('df', 'mount', '/var')).toEqual(['df', '/var']);
    expect(await run('df', [])).toEqual(['df', '/']);
    expect(await refusal(one('df', 'mount', '/etc'))).toBe(
      'Argument "mount" must be one of: /, /var.',
    );
  });

  it('string: passes shell metacharacters through as one literal argument', async () => {
    const nasty = [
      '; id',
      '$(id)',
      '`id`',
      '| id',
      'a\nid',
      '${IFS}id',
      '>file',
      '\' " \\',
      '$& $1',
      '{{text}}',
      'two words',
    ];
    for (const text of nasty) {
      const argv = await one('say', 'text', text);
      expect(argv.slice(3)).toEqual([text, `x=${text}`]);
      // The real child sees exactly these arguments: nothing was split or interpreted.
      const child = startProcess({ argv, env: childEnv(), timeoutMs: 10_000 });
      let out = '';
      for await (const c of child.chunks) out += c.data;
      expect((await child.done).status).toBe('SUCCEEDED');
      expect(JSON.parse(out)).toEqual([text, `x=${text}`]);
    }
  });

  it('string: enforces maxLength and the full-match pattern', async () => {
    expect(await one('hi', 'who', 'bob')).toEqual(['echo', 'bob']);
    expect(await refusal(one('say', 'text', 'a'.repeat(41)))).toBe(
      'Argument "text" must be at most 40 characters.',
    );
    for (const bad of ['Bob', 'bob!', 'bob\n', 'bob id', '']) {
      expect(await refusal(one('hi', 'who', bad))).toBe(
        'Argument "who" must match the pattern [a-z]+.',
      );
    }
  });

  it('refuses option injection unless the argument allows a dash', async () => {
    for (const bad of ['--output=x', '-oX', '-']) {
      expect(await refusal(one('say', 'text', bad))).toBe(
        'Argument "text" must not start with "-".',
      );
    }
    expect(await one('grep', 'expr', '-v')).toEqual(['grep', '-v']);
  });

  it('refuses NUL bytes even where a dash is allowed', async () => {
    expect(await refusal(one('grep', 'expr', 'a\0b'))).toBe(
      'Argument "expr" must not contain NUL bytes.',
    );
  });

  it('int: digits only, within min and max', async () => {
    expect(await one('num', 'n', '42')).toEqual(['seq', '42']);
    for (const bad of [
      '4.2',
      '1e3',
      ' 5',
      '5 ',
      '0x10',
      '+5',
      '',
      '101',
      '0',
      '99999999999999999999',
    ]) {
      expect(await refusal(one('num', 'n', bad))).toBe(
        'Argument "n" must be a whole number from 1 to 100.',
      );
    }
    expect(await refusal(one('num', 'n', '-3'))).toBe('Argument "n" must not start with "-".');
    expect(await one('neg', 'n', '-10')).toEqual(['seq', '-10']);
    expect(await refusal(one('neg', 'n', '-11'))).toBe(
      'Argument "n" must be a whole number of at least -10.',
    );
  });

  it('boolean: only "true" and "false"', async () => {
    expect(await one('flag', 'on', 'false')).toEqual(['x', '--verbose=false']);
    for (const bad of ['yes', 'TRUE', '1', '']) {
      expect(await refusal(one('flag', 'on', bad))).toBe(
        'Argument "on" must be "true" or "false".',
      );
    }
  });

  it('path: canonical and inside the root, symlinks followed', async () => {
    const logs = path.join(dir, 'logs');
    expect(await one('cat', 'p', path.join(logs, 'app/today.log'))).toEqual([
      'cat',
      '--',
      path.join(logs, 'app/today.log'),
    ]);
    expect(await one('cat', 'p', 'app/../app/today.log')).toEqual([
      'cat',
      '--',
      path.join(logs, 'app/today.log'),
    ]);
    expect(await one('cat', 'p', path.join(logs, 'alias.log'))).toEqual([
      'cat',
      '--',
      path.join(logs, 'app/today.log'),
    ]);
    expect(await one('cat', 'p', logs)).toEqual(['cat', '--', logs]);
    const outside = [
      path.join(dir, 'logs2/other.log'),
      path.join(logs, 'escape'),
      path.join(logs, '../secret/key'),
      '/etc/passwd',
      'app/missing.log',
    ];
    for (const bad of outside) {
      expect(await refusal(one('cat', 'p', bad))).toBe(
        `Argument "p" must be an existing path inside ${logs}.`,
      );
    }
  });

  it('file: the stored path from resolveFile, its errors passed on', async () => {
    const files = {
      resolveFile: async (id: string) =>
        id === 'f1' ? '/data/uploads/f1' : Promise.reject(new NotFoundError(`File ${id}`)),
    };
    expect(await run('up', [{ name: 'f', value: 'f1' }], files)).toEqual([
      'sha256sum',
      '/data/uploads/f1',
    ]);
    await expect(run('up', [{ name: 'f', value: 'f2' }], files)).rejects.toThrow(NotFoundError);
    await expect(
      run('up', [{ name: 'f', value: 'f1' }], { resolveFile: async () => 'relative/f1' }),
    ).rejects.toThrow(/relative path/);
  });

  it('refuses undeclared, duplicate and missing arguments', async () => {
    expect(await refusal(one('df', 'device', 'sda'))).toBe(
      'Command "df" has no argument "device"; it takes: mount.',
    );
    expect(await refusal(one('none', 'x', '1'))).toBe(
      'Command "none" has no argument "x"; it takes no arguments.',
    );
    const twice = run('df', [
      { name: 'mount', value: '/' },
      { name: 'mount', value: '/var' },
    ]);
    expect(await refusal(twice)).toBe('Argument "mount" was given more than once.');
    expect(await refusal(run('hi', []))).toBe('Argument "who" is required.');
  });

  it('fills placeholders inside an element and drops elements of omitted optional arguments', async () => {
    expect(
      await run('log', [
        { name: 'days', value: '3' },
        { name: 'unit', value: 'nginx' },
      ]),
    ).toEqual(['journalctl', '--since=3 days ago', '-u', 'nginx']);
    expect(await run('log', [{ name: 'unit', value: 'nginx' }])).toEqual([
      'journalctl',
      '-u',
      'nginx',
    ]);
  });
});

describe('isInside', () => {
  it('needs a separator after the root', () => {
    expect(isInside('/var/log', '/var/log')).toBe(true);
    expect(isInside('/var/log/x', '/var/log')).toBe(true);
    expect(isInside('/var/log2', '/var/log')).toBe(false);
    expect(isInside('/var/log2/x', '/var/log')).toBe(false);
    expect(isInside('/etc', '/')).toBe(true);
  });
});
