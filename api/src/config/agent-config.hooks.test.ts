import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from './agent-config.js';
import { refusals } from './agent-config.testkit.js';

const SECRETS: Record<string, string> = {
  HOOK_SECRET: 'a-secret-of-enough-bytes-0123456789',
  SHORT_SECRET: 'too-short',
};
const env = (name: string) => SECRETS[name];
const COMMANDS = `commands:
  - name: deploy
    title: Deploy
    argv: [echo, "{{ref}}", "{{env}}"]
    args:
      - { name: ref, type: string }
      - { name: env, type: enum, choices: [prod, test], default: test }
  - name: process
    title: Process
    argv: [cat, "{{upload}}"]
    args:
      - { name: upload, type: file }
`;
const parse = (yaml: string) => parseAgentConfig(`${COMMANDS}${yaml}`, '/tmp/agent.yaml', env);
const problems = (yaml: string): Promise<string[]> => refusals(parse(yaml));

describe('agent.yaml hooks:', () => {
  it('reads a hook with its defaults and the secret from the named variable', async () => {
    const { hooks } = await parse(
      'hooks:\n  - name: deploy\n    command: deploy\n    secretEnv: HOOK_SECRET\n    args: { ref: head.ref }\n',
    );
    expect(hooks).toEqual([
      {
        name: 'deploy',
        command: 'deploy',
        secretEnv: 'HOOK_SECRET',
        secret: SECRETS.HOOK_SECRET,
        style: 'tiny-agent',
        args: [{ name: 'ref', field: 'head.ref' }],
        perMinute: 30,
      },
    ]);
  });

  it('refuses an unknown command, an undeclared argument and an unmapped required one, with lines', async () => {
    expect(
      await problems(
        [
          'hooks:',
          '  - name: a',
          '    command: nope',
          '    secretEnv: HOOK_SECRET',
          '  - name: b',
          '    command: deploy',
          '    secretEnv: HOOK_SECRET',
          '    args: { ref: ref, branch: ref }',
          '  - name: c',
          '    command: deploy',
          '    secretEnv: HOOK_SECRET',
          '    args: { env: env }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'hooks[0].command: no command named "nope" in this file (line 15)',
      'hooks[1].args.branch: the command "deploy" has no argument named "branch" (line 20)',
      'hooks[2].args: the command "deploy" needs the argument "ref": map it to a body field (args: { ref: <field> }) or give it a default (line 24)',
    ]);
  });

  it('refuses a file argument, a duplicate name, and bad field paths', async () => {
    expect(
      await problems(
        [
          'hooks:',
          '  - name: p',
          '    command: process',
          '    secretEnv: HOOK_SECRET',
          '    args: { upload: file.id }',
          '  - name: p',
          '    command: deploy',
          '    secretEnv: HOOK_SECRET',
          '    args: { ref: "a..b" }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'hooks[0].args.upload: "upload" is a file argument: a webhook body cannot name an uploaded file (line 17)',
      'hooks[1].name: duplicate hook name "p" (also at hooks[0]) (line 18)',
      'hooks[1].args.ref: must be a dotted path of JSON body fields, like repository.full_name (line 21)',
    ]);
  });

  it('refuses a missing, empty or short secret, naming the variable and never a value', async () => {
    const got = await problems(
      [
        'hooks:',
        '  - { name: a, command: deploy, secretEnv: UNSET_SECRET, args: { ref: ref } }',
        '  - { name: b, command: deploy, secretEnv: SHORT_SECRET, args: { ref: ref } }',
        '  - { name: c, command: deploy, args: { ref: ref } }',
        '',
      ].join('\n'),
    );
    expect(got).toEqual([
      'hooks[0].secretEnv: the environment variable UNSET_SECRET is not set: set it to a random secret of at least 16 bytes (openssl rand -hex 32) (line 14)',
      'hooks[1].secretEnv: the environment variable SHORT_SECRET holds fewer than 16 bytes: use a longer random secret (openssl rand -hex 32) (line 15)',
      'hooks[2].secretEnv: is required (line 16)',
    ]);
    expect(got.join('\n')).not.toContain(SECRETS.SHORT_SECRET);
  });

  it('refuses an unknown style and a secret written in the file', async () => {
    expect(
      await problems(
        'hooks:\n  - { name: a, command: deploy, secretEnv: HOOK_SECRET, secret: hunter2hunter2hunter2, style: gitlab, args: { ref: ref } }\n',
      ),
    ).toEqual([
      'hooks[0].style: must be one of: tiny-agent, github (line 14)',
      'hooks[0]: unknown field(s): secret (line 14)',
    ]);
  });
});
