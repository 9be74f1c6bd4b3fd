import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from './agent-config.js';
import { refusals } from './agent-config.testkit.js';

const LOGS = `logs:
  - { name: nginx-error, path: /tmp/nginx-error.log }
  - { name: system, path: /tmp/system.log }
`;
const parse = (commands: string) =>
  parseAgentConfig(`${LOGS}commands:\n${commands}`, '/tmp/agent.yaml');

describe('agent.yaml watchLogs:', () => {
  it('reads the watched sources, once each, and defaults to none', async () => {
    const { commands } = await parse(
      `  - { name: restart, title: R, argv: ["true"], watchLogs: [nginx-error, system, system] }
  - { name: plain, title: P, argv: ["true"] }
`,
    );
    expect(commands.map((c) => c.watchLogs)).toEqual([['nginx-error', 'system'], []]);
  });

  it('refuses an unknown source and more than five, with path and line', async () => {
    const problems = await refusals(
      parse(`  - name: restart
    title: R
    argv: ["true"]
    watchLogs:
      - system
      - nginx-eror
  - name: many
    title: M
    argv: ["true"]
    watchLogs: [system, system, system, system, system, system]
  - { name: odd, title: O, argv: ["true"], watchLogs: ["/var/log/syslog"] }
`),
    );
    expect(problems).toEqual([
      'commands[0].watchLogs[1]: unknown log source "nginx-eror": add it under logs: or remove it here (line 10)',
      'commands[1].watchLogs: at most 5 log sources (line 14)',
      'commands[2].watchLogs[0]: must name a log source of this file (line 15)',
      'commands[2].watchLogs[0]: unknown log source "/var/log/syslog": add it under logs: or remove it here (line 15)',
    ]);
  });
});
