import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from './agent-config.js';
import { refusals } from './agent-config.testkit.js';

const command = (lines: string[]) =>
  ['commands:', '  - name: check', '    title: Check', '    argv: [df, -h, /]', ...lines, ''].join(
    '\n',
  );
const parse = (lines: string[]) => parseAgentConfig(command(lines), '/tmp/agent.yaml');
const problems = (lines: string[]) => refusals(parse(lines));

describe('agent.yaml failOn / successOn / extract', () => {
  it('reads the patterns, and none by default', async () => {
    const { commands } = await parse([
      '    failOn: ["/ERROR|FATAL/", "No space left"]',
      '    successOn: ["/Backup complete: \\\\d+ files/"]',
      '    extract: ["/(?<free>\\\\d+[KMGT]?)\\\\s+\\\\d+%\\\\s+\\\\/$/"]',
    ]);
    expect(commands[0]).toMatchObject({
      failOn: ['/ERROR|FATAL/', 'No space left'],
      successOn: ['/Backup complete: \\d+ files/'],
      extract: ['/(?<free>\\d+[KMGT]?)\\s+\\d+%\\s+\\/$/'],
    });
    const plain = await parse([]);
    expect(plain.commands[0]).toMatchObject({ failOn: [], successOn: [], extract: [] });
  });

  it("refuses invalid patterns with the log filter's words, and the line", async () => {
    expect(
      await problems([
        '    failOn: ["/(unclosed/"]',
        '    successOn: ["", "/(a)\\\\1/"]',
        '    extract: ["/(?<=x)(?<n>y)/"]',
      ]),
    ).toEqual([
      expect.stringMatching(/^commands\[0\]\.failOn\[0\]: Invalid log filter: .*\(line 5\)$/),
      'commands[0].successOn[0]: must not be empty (line 6)',
      'commands[0].successOn[1]: Invalid log filter: backreferences (\\1, \\k<name>) are not supported: the search engine (RE2) runs in linear time and cannot have them. Fix the expression, or drop the slashes to search for plain text. (line 6)',
      'commands[0].extract[0]: Invalid log filter: lookahead and lookbehind are not supported: the search engine (RE2) runs in linear time and cannot have them. Fix the expression, or drop the slashes to search for plain text. (line 7)',
    ]);
  });

  it('refuses an extract without named groups, or that is not a /regex/', async () => {
    expect(
      await problems(['    extract:', '      - "/(\\\\d+)%/"', '      - "free space"']),
    ).toEqual([
      'commands[0].extract[0]: has no named group: name what to keep, like (?<free>\\d+G) (line 6)',
      'commands[0].extract[1]: must be a /regular expression/ with named groups, like /(?<free>\\d+G)/ (line 7)',
    ]);
  });

  it('refuses more than 20 patterns in a list', async () => {
    const many = JSON.stringify(Array.from({ length: 21 }, (_, i) => `p${i}`));
    expect(await problems([`    failOn: ${many}`])).toEqual([
      'commands[0].failOn: at most 20 failOn patterns (line 5)',
    ]);
  });
});
