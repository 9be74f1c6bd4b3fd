import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAgentConfig } from './agent-config.js';
import { refusals } from './agent-config.testkit.js';

const COMMAND = `commands:
  - name: backup
    title: Backup
    argv: ["true"]
`;
// secrets are looked up in this test's environment, as the server looks them up in its own
const parse = (yaml: string) =>
  parseAgentConfig(yaml, '/tmp/agent.yaml', (name) => process.env[name]);
const problems = async (yaml: string): Promise<string> => (await refusals(parse(yaml))).join('\n');

const SECRETS = {
  T_HOOK_URL: 'https://hooks.example.org/x?token=url-secret-1',
  T_AUTH: 'Bearer header-secret-2',
  T_NTFY: 'ntfy-secret-3',
  T_SMTP: 'smtp-secret-4',
};

describe('agent.yaml notify:', () => {
  beforeEach(() => Object.assign(process.env, SECRETS));
  afterEach(() => {
    for (const k of Object.keys(SECRETS)) delete process.env[k];
  });

  it('reads every target type, secrets from the environment, and a command’s notify', async () => {
    const config = await parse(`${COMMAND}    notify:
      - { target: phone }
      - { target: mail, on: always }
notify:
  - name: ops
    type: webhook
    urlEnv: T_HOOK_URL
    headersEnv: { Authorization: T_AUTH }
  - { name: phone, type: ntfy, url: "http://127.0.0.1:9/topic", tokenEnv: T_NTFY, priority: 4 }
  - { name: chat, type: slack, url: "https://chat.example.org/hook" }
  - name: mail
    type: smtp
    host: smtp.example.org
    username: bot@example.org
    passwordEnv: T_SMTP
    from: "Tiny Agent <bot@example.org>"
    to: [ops@example.org]
`);
    expect(config.commands[0]!.notify).toEqual([
      { target: 'phone', on: 'failure' },
      { target: 'mail', on: 'always' },
    ]);
    expect(config.notify).toEqual([
      {
        name: 'ops',
        type: 'webhook',
        url: SECRETS.T_HOOK_URL,
        headers: { Authorization: SECRETS.T_AUTH },
      },
      {
        name: 'phone',
        type: 'ntfy',
        url: 'http://127.0.0.1:9/topic',
        token: SECRETS.T_NTFY,
        priority: 4,
      },
      { name: 'chat', type: 'slack', url: 'https://chat.example.org/hook' },
      {
        name: 'mail',
        type: 'smtp',
        host: 'smtp.example.org',
        port: 587,
        secure: false,
        username: 'bot@example.org',
        password: SECRETS.T_SMTP,
        from: 'Tiny Agent <bot@example.org>',
        to: ['ops@example.org'],
      },
    ]);
  });

  it('refuses unknown targets, duplicates, missing variables, bad URLs and addresses, with path and line', async () => {
    process.env.T_BAD_URL = 'ftp://files.example.org/?token=hidden-5';
    try {
      const found = await problems(`${COMMAND}    notify:
      - { target: nowhere }
      - { target: a, on: sometimes }
notify:
  - { name: a, type: slack, url: "https://x.example.org" }
  - { name: a, type: slack, url: "https://y.example.org" }
  - { name: b, type: webhook, urlEnv: T_UNSET_VAR }
  - { name: c, type: ntfy, url: "file:///etc/passwd" }
  - { name: d, type: slack, urlEnv: T_BAD_URL }
  - { name: e, type: smtp, host: smtp.example.org, from: "not an address", to: [ops@example.org] }
  - { name: f, type: slack }
  - { name: g, type: pager, url: "https://x.example.org" }
`);
      expect(found).toMatch(
        /commands\[0\]\.notify\[0\]\.target: unknown notification target "nowhere".*\(line 6\)/,
      );
      expect(found).toMatch(
        /commands\[0\]\.notify\[1\]\.on: must be one of: failure, success, always \(line 7\)/,
      );
      expect(found).toMatch(
        /notify\[1\]\.name: duplicate notification target name "a" .*\(line 10\)/,
      );
      expect(found).toMatch(
        /notify\[2\]\.urlEnv: environment variable T_UNSET_VAR is not set .*\(line 11\)/,
      );
      expect(found).toMatch(
        /notify\[3\]\.url: must be an http:\/\/ or https:\/\/ URL \(got file:\) \(line 12\)/,
      );
      expect(found).toMatch(/notify\[4\]\.urlEnv: the value of T_BAD_URL must be an http/);
      expect(found).toMatch(/notify\[5\]\.from: "not an address" is not an email address/);
      expect(found).toMatch(/notify\[6\]\.url: give exactly one of url or urlEnv/);
      expect(found).toMatch(/notify\[7\]\.type: must be one of: webhook, ntfy, slack, smtp/);
      // a value read from the environment is never shown
      expect(found).not.toContain('hidden-5');
      expect(found).not.toContain('files.example.org');
    } finally {
      delete process.env.T_BAD_URL;
    }
  });
});
