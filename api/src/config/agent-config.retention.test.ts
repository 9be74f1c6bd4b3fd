import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from './agent-config.js';
import { refusals } from './agent-config.testkit.js';
import { parseSize } from './agent-config.size.js';

const parse = (yaml: string) => parseAgentConfig(`commands: []\n${yaml}`, '/tmp/agent.yaml');
const problems = (yaml: string): Promise<string[]> => refusals(parse(yaml));

describe('agent.yaml retention:', () => {
  it('absent keeps everything: no rule is set', async () => {
    expect((await parse('')).retention).toEqual({ runs: {}, uploads: {}, audit: {} });
  });

  it('reads every key', async () => {
    const { retention } = await parse(
      [
        'retention:',
        '  runs: { days: 90, perCommand: 1000 }',
        '  outputBytes: 5GiB',
        '  uploads: { days: 30 }',
        '  audit: { days: 365 }',
      ].join('\n'),
    );
    expect(retention).toEqual({
      runs: { days: 90, perCommand: 1000 },
      outputBytes: 5 * 2 ** 30,
      uploads: { days: 30 },
      audit: { days: 365 },
    });
  });

  it('reads sizes as bytes or with a unit', async () => {
    for (const [text, bytes] of [
      ['1048576', 2 ** 20],
      ['512MiB', 512 * 2 ** 20],
      ['10GB', 10e9],
      ['1.5 GiB', 1.5 * 2 ** 30],
      ['2tib', 2 * 2 ** 40],
    ] as const) {
      expect(
        (await parse(`retention:\n  outputBytes: ${text}\n`)).retention.outputBytes,
        text,
      ).toBe(bytes);
    }
    expect(parseSize('5 parsecs')).toBeNull();
  });

  it('refuses bad values with the path, the reason and the accepted forms', async () => {
    const cases: [string, RegExp][] = [
      ['outputBytes: 5 parsecs', /retention\.outputBytes: "5 parsecs" is not a size: .*512MiB/],
      [
        'outputBytes: 1000',
        /retention\.outputBytes: must be between 1 MiB and .* \(got 1000 bytes\)/,
      ],
      ['outputBytes: 1.5', /retention\.outputBytes: "1.5" is not a size/],
      ['outputBytes: [1]', /retention\.outputBytes: must be a size/],
      [
        'runs: { days: 0 }',
        /retention\.runs\.days: must be a whole number of days from 1 to 36500 \(leave the key out/,
      ],
      ['runs: { days: 36501 }', /retention\.runs\.days: must be a whole number of days/],
      [
        'runs: { perCommand: 1000001 }',
        /retention\.runs\.perCommand: must be a whole number of runs from 1 to 1000000/,
      ],
      ['runs: { days: 1.5 }', /retention\.runs\.days: must be a whole number/],
      ['uploads: { days: -1 }', /retention\.uploads\.days: must be a whole number/],
      ['audit: { days: "a year" }', /retention\.audit\.days: must be a whole number/],
      ['runs: { keep: 3 }', /retention\.runs: .*keep/],
      ['forever: true', /retention: .*forever/],
    ];
    for (const [yaml, message] of cases) {
      const found = await problems(`retention:\n  ${yaml}\n`);
      expect(found.join('\n'), yaml).toMatch(message);
    }
  });
});
