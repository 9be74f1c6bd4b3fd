import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from './agent-config.js';
import { parseDuration } from './agent-config.approval.js';
import { refusals } from './agent-config.testkit.js';

const command = (approval: string, args = '') =>
  [
    'commands:',
    '  - name: restart',
    '    title: Restart',
    '    argv: [echo, hi]',
    args,
    `    approval: ${approval}`,
  ]
    .filter(Boolean)
    .join('\n');
const parse = (yaml: string) => parseAgentConfig(yaml, '/tmp/agent.yaml');
const approvalOf = async (approval: string) =>
  (await parse(command(approval))).commands[0]!.approval;

describe('agent.yaml approval:', () => {
  it('reads approvers and expiresAfter, with defaults [admin] and 30m', async () => {
    expect(await approvalOf('{ required: true }')).toEqual({
      approvers: ['admin'],
      expiresAfterMs: 30 * 60_000,
    });
    expect(
      await approvalOf('{ required: true, approvers: [admin, user], expiresAfter: 2h }'),
    ).toEqual({
      approvers: ['admin', 'user'],
      expiresAfterMs: 2 * 3600_000,
    });
    expect((await approvalOf('{ expiresAfter: 90 }'))?.expiresAfterMs).toBe(90_000);
  });

  it('required: false or no key means no approval', async () => {
    expect(await approvalOf('{ required: false, approvers: [user] }')).toBeUndefined();
    expect(
      (await parse(command('null').replace('    approval: null', ''))).commands[0]!.approval,
    ).toBeUndefined();
  });

  it('parses durations', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('1800')).toBe(1_800_000);
    expect(parseDuration('3 weeks')).toBeNull();
    expect(parseDuration(0)).toBeNull();
  });

  it('refuses a bad duration, more than 7 days, unknown roles and keys, with the path', async () => {
    const cases: [string, RegExp][] = [
      [
        '{ expiresAfter: soon }',
        /commands\[0\]\.approval\.expiresAfter.*"soon" must be a duration/,
      ],
      ['{ expiresAfter: 8d }', /commands\[0\]\.approval\.expiresAfter.*1s to 7d/],
      ['{ approvers: [root] }', /commands\[0\]\.approval\.approvers\[0\]/],
      ['{ approvers: [] }', /commands\[0\]\.approval\.approvers/],
      ['{ who: admin }', /commands\[0\]\.approval.*who/],
    ];
    for (const [yaml, want] of cases) {
      const found = await refusals(parse(command(yaml)));
      expect(found.join('\n'), yaml).toMatch(want);
    }
  });

  it('refuses a file argument on a command with approval, with its line', async () => {
    const yaml = command('{ required: true }', '    args: [{ name: f, type: file }]');
    const found = await refusals(parse(yaml));
    expect(found.join('\n')).toMatch(
      /commands\[0\]\.args\[0\]\.type: .*cannot take a file argument.*\(line 5\)/,
    );
    // without approval the same argument loads
    await parse(command('{ required: false }', '    args: [{ name: f, type: file }]'));
  });
});
