import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from './agent-config.js';
import { refusals } from './agent-config.testkit.js';

const BASE = [
  'commands:',
  '  - name: restart-service',
  '    title: Restart',
  '    argv: [echo, "{{service}}"]',
  '    args:',
  '      - { name: service, type: string, pattern: "[a-z-]+" }',
  '      - { name: upload, type: file, required: false }',
  'logs:',
  '  - { name: app, path: /tmp/app.log }',
].join('\n');

const parse = (yaml: string) => parseAgentConfig(`${BASE}\n${yaml}`, '/tmp/agent.yaml');
const problems = (yaml: string): Promise<string[]> => refusals(parse(yaml));
// BASE holds 9 lines: the triggers start on line 10
const trigger = (...lines: string[]) => ['triggers:', ...lines].join('\n');

describe('agent.yaml triggers:', () => {
  it('absent: none', async () => {
    expect((await parse('')).triggers).toEqual([]);
  });

  it('reads a trigger with its defaults, and its captures kept', async () => {
    const { triggers } = await parse(
      trigger(
        '  - name: oom-restart',
        '    source: app',
        '    pattern: "/Out of memory: Killed process \\\\d+ \\\\((?<proc>[a-z-]+)\\\\)/"',
        '    run:',
        '      command: restart-service',
        '      args: { service: "{{proc}}" }',
        '  - { name: quiet, source: app, pattern: panic, cooldown: 0, run: { command: restart-service, args: { service: web } } }',
      ),
    );
    expect(triggers).toEqual([
      {
        name: 'oom-restart',
        source: 'app',
        pattern: '/Out of memory: Killed process \\d+ \\((?<proc>[a-z-]+)\\)/',
        cooldownSeconds: 60,
        run: { command: 'restart-service', args: [{ name: 'service', value: '{{proc}}' }] },
        notify: [],
      },
      {
        name: 'quiet',
        source: 'app',
        pattern: 'panic',
        cooldownSeconds: 0,
        run: { command: 'restart-service', args: [{ name: 'service', value: 'web' }] },
        notify: [],
      },
    ]);
  });

  it('refuses what a trigger names but the file lacks, each with its path and line', async () => {
    const p = await problems(
      trigger(
        '  - name: a', // line 11
        '    source: nowhere',
        '    pattern: x',
        '    run:',
        '      command: restart-service',
        '      args:',
        '        service: "{{proc}}"', // line 17: no group named proc in `x`
        '        nope: "1"', // line 18
        '        upload: abc', // line 19
        '    notify: [ops]', // line 20
        '  - name: b', // line 21
        '    source: app',
        '    pattern: y',
        '    run: { command: missing-command }', // line 24
        '  - { name: a, source: app, pattern: z, notify: [] }', // line 25: duplicate, and does nothing
      ),
    );
    expect(p).toEqual([
      'triggers[0].source: unknown log source "nowhere": not in `logs:` (line 12)',
      'triggers[0].run.args.service: {{proc}}: the pattern has no named group "proc" (write (?<proc>…)) (line 17)',
      'triggers[0].run.args.nope: command "restart-service" has no argument "nope" (line 18)',
      'triggers[0].run.args.upload: "upload" is a file argument: a trigger cannot give an uploaded file (line 19)',
      'triggers[0].notify[0]: unknown notify target "ops": not in `notify:` (line 20)',
      'triggers[1].run.command: unknown command "missing-command": not in `commands:` (line 24)',
      'triggers[2]: does nothing: give it `run:` (a command), `notify:` (target names), or both (line 25)',
      'triggers[2].name: duplicate trigger name "a" (also at triggers[0]) (line 25)',
    ]);
  });

  it("checks a value with no capture by the argument's rules, and the required arguments", async () => {
    const p = await problems(
      trigger(
        '  - name: fixed',
        '    source: app',
        '    pattern: boom',
        '    run:',
        '      command: restart-service',
        '      args: { service: "--all" }', // line 16
        '  - { name: bare, source: app, pattern: boom, run: { command: restart-service } }', // line 17
      ),
    );
    expect(p).toEqual([
      'triggers[0].run.args.service: "--all" must not start with "-" (line 16)',
      'triggers[1].run.args: command "restart-service" needs argument "service": give it a value or a {{capture}} (line 17)',
    ]);
  });

  it("refuses an invalid pattern in the log filter's words", async () => {
    const p = await problems(
      trigger(
        '  - name: bad',
        '    source: app',
        '    pattern: "/(a)\\\\1/"', // line 13: a backreference, which RE2 cannot run
        '    cooldown: -1', // line 14
        '    run: { command: restart-service, args: { service: "{{x}}" } }',
      ),
    );
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(
      /^triggers\[0\]\.pattern: Invalid log filter: backreferences .*\(line 13\)$/,
    );
    expect(p[1]).toMatch(/^triggers\[0\]\.cooldown: .*\(line 14\)$/);
  });
});
