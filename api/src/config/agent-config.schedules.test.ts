import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from './agent-config.js';
import { refusals } from './agent-config.testkit.js';

const root = mkdtempSync(path.join(tmpdir(), 'tiny-agent-sched-'));
const command = (schedules: string) =>
  [
    'commands:',
    '  - name: disk',
    '    title: Disk',
    '    argv: [df, "{{mount}}", "{{depth}}", "{{mode}}"]',
    '    args:',
    `      - { name: mount, type: path, roots: ["${root}"] }`,
    '      - { name: depth, type: int, min: 1, max: 5, default: 1 }',
    '      - { name: mode, type: enum, choices: [fast, slow], required: false }',
    '      - { name: attach, type: file, required: false }',
    '    schedules:',
    schedules,
  ].join('\n');
const parse = (schedules: string) => parseAgentConfig(command(schedules), '/tmp/agent.yaml');
const problems = (schedules: string): Promise<string[]> => refusals(parse(schedules));

describe('agent.yaml schedules:', () => {
  it('reads a schedule with its defaults and names it by command, cron and zone', async () => {
    const config = await parse(
      [
        `      - cron: "0 3 * * *"`,
        `        args: { mount: "${root}", depth: 2 }`,
        `      - { cron: "*/2 * * * * *", timezone: Europe/Paris, overlap: queue, catchUp: true, args: { mount: . } }`,
      ].join('\n'),
    );
    expect(config.commands[0]!.schedules).toEqual([
      {
        id: 'disk:0 3 * * *@UTC',
        cron: '0 3 * * *',
        timezone: 'UTC',
        args: [
          { name: 'mount', value: root },
          { name: 'depth', value: '2' },
        ],
        overlap: 'skip',
        catchUp: false,
      },
      {
        id: 'disk:*/2 * * * * *@Europe/Paris',
        cron: '*/2 * * * * *',
        timezone: 'Europe/Paris',
        args: [{ name: 'mount', value: '.' }],
        overlap: 'queue',
        catchUp: true,
      },
    ]);
  });

  it('refuses a bad cron, an unknown zone and a bad overlap, each with its path and line', async () => {
    const p = await problems(
      [
        `      - { cron: "61 * * * *", args: { mount: . } }`,
        `      - { cron: "* * *", args: { mount: . } }`,
        `      - { cron: "0 3 * * *", timezone: Mars/Olympus, args: { mount: . } }`,
        `      - { cron: "0 4 * * *", overlap: later, args: { mount: . } }`,
        `      - { cron: "0 1 2 3 4 5 2030", args: { mount: . } }`,
      ].join('\n'),
    );
    expect(p).toEqual([
      expect.stringMatching(/^commands\[0\]\.schedules\[0\]\.cron: is not a cron .* \(line 11\)$/),
      expect.stringMatching(/^commands\[0\]\.schedules\[1\]\.cron: is not a cron .* \(line 12\)$/),
      'commands[0].schedules[2].timezone: must be an IANA time zone name (Europe/Paris, America/New_York, UTC) (line 13)',
      'commands[0].schedules[3].overlap: must be one of: skip, queue, allow (line 14)',
      expect.stringMatching(/^commands\[0\]\.schedules\[4\]\.cron: is not a cron .* \(line 15\)$/),
    ]);
  });

  it('judges the arguments as a manual run would, when the file loads', async () => {
    const p = await problems(
      [
        `      - { cron: "0 1 * * *", args: { mount: ., depth: 9 } }`,
        `      - { cron: "0 2 * * *", args: { mount: ., size: 3 } }`,
        `      - { cron: "0 3 * * *", args: { depth: 2 } }`,
        `      - { cron: "0 4 * * *", args: { mount: ., attach: abc } }`,
        `      - { cron: "0 5 * * *", args: { mount: /etc } }`,
        `      - { cron: "0 6 * * *", args: { mount: ., mode: medium } }`,
      ].join('\n'),
    );
    expect(p).toEqual([
      'commands[0].schedules[0].args.depth: must be a whole number from 1 to 5 (line 11)',
      'commands[0].schedules[1].args.size: "disk" has no argument "size"; it takes: mount, depth, mode, attach (line 12)',
      'commands[0].schedules[2].args: argument "mount" is required (line 13)',
      'commands[0].schedules[3].args.attach: is a file argument: a schedule cannot give an uploaded file (line 14)',
      `commands[0].schedules[4].args: Argument "mount" must be an existing path inside ${root}. (line 15)`,
      'commands[0].schedules[5].args.mode: must be one of: fast, slow (line 16)',
    ]);
  });

  it('refuses two equal schedules on one command', async () => {
    const p = await problems(
      [
        `      - { cron: "0 3 * * *", args: { mount: . } }`,
        `      - { cron: "0 3 * * *", timezone: UTC, args: { mount: . } }`,
      ].join('\n'),
    );
    expect(p).toEqual([
      'commands[0].schedules[1].cron: the same schedule as schedules[0] (same cron and timezone) (line 12)',
    ]);
  });
});
