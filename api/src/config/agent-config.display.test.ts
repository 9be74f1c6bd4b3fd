// agent.yaml's display keys: group, icon and confirm are bounded, plain, and named in errors.
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAgentConfig } from './agent-config.js';
import { refusals } from './agent-config.testkit.js';

let dir: string;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(path.join(tmpdir(), 'agent-display-')));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function load(commands: string) {
  const file = path.join(dir, 'agent.yaml');
  await writeFile(file, `commands:\n${commands}`);
  return loadAgentConfig(file);
}

const problemsOf = (commands: string): Promise<string[]> => refusals(load(commands));

describe('agent.yaml group, icon and confirm', () => {
  it('defaults to no group, no icon and no confirmation', async () => {
    const config = await load(`  - { name: a, title: A, argv: ["true"] }\n`);
    expect(config.commands[0]).toMatchObject({ confirm: false });
    expect(config.commands[0].group).toBeUndefined();
    expect(config.commands[0].icon).toBeUndefined();
    expect(config.commands[0].confirmMessage).toBeUndefined();
  });

  it('reads confirm as true or as a message, a group, and an icon by name or emoji', async () => {
    const config = await load(
      `  - { name: a, title: A, argv: ["true"], confirm: true, group: " Disks ", icon: disk }
  - { name: b, title: B, argv: ["true"], confirm: "Restart nginx now?", icon: "🚀" }
  - { name: c, title: C, argv: ["true"], confirm: false, icon: "👩🏽‍💻" }
  - { name: d, title: D, argv: ["true"], icon: "🇫🇷" }
`,
    );
    const [a, b, c, d] = config.commands;
    expect(a).toMatchObject({ confirm: true, group: 'Disks', icon: 'disk' });
    expect(a.confirmMessage).toBeUndefined();
    expect(b).toMatchObject({ confirm: true, confirmMessage: 'Restart nginx now?', icon: '🚀' });
    expect(c).toMatchObject({ confirm: false, icon: '👩🏽‍💻' });
    expect(d.icon).toBe('🇫🇷');
  });

  it('refuses URLs, markup, text, bidi tricks and unbounded values, naming command and key', async () => {
    const long = 'x'.repeat(41);
    const problems = await problemsOf(
      `  - { name: a, title: A, argv: ["true"], icon: "https://example.com/x.svg" }
  - { name: b, title: B, argv: ["true"], icon: "<svg onload=alert(1)>" }
  - { name: c, title: C, argv: ["true"], icon: "ok" }
  - { name: d, title: D, argv: ["true"], icon: "🚀🚀" }
  - { name: e, title: E, argv: ["true"], group: "${long}" }
  - { name: f, title: F, argv: ["true"], group: "a\\u202Eb" }
  - { name: g, title: G, argv: ["true"], group: "  " }
  - { name: h, title: H, argv: ["true"], confirm: yes please }
  - { name: i, title: I, argv: ["true"], confirm: 3 }
  - { name: j, title: J, argv: ["true"], confirm: "${'y'.repeat(201)}" }
  - { name: k, title: K, argv: ["true"], icon: 7 }
`,
    );
    const expected = [
      'commands[0].icon: must be one emoji or one of: terminal, disk,',
      'commands[1].icon: must be one emoji',
      'commands[2].icon: must be one emoji',
      'commands[3].icon: must be one emoji',
      'commands[4].group: must be at most 40 characters',
      'commands[5].group: must be plain text on one line',
      'commands[6].group: must not be empty',
      'commands[9].confirm: must be at most 200 characters',
      'commands[10].icon: must be one emoji',
    ];
    for (const e of expected)
      expect(
        problems.some((p) => p.startsWith(e)),
        `${e}\nin:\n${problems.join('\n')}`,
      ).toBe(true);
    // "yes please" is a fine message; 3 is not a message
    expect(problems.some((p) => p.startsWith('commands[7]'))).toBe(false);
    expect(problems.some((p) => p.startsWith('commands[8].confirm: must be true, false'))).toBe(
      true,
    );
    expect(problems).toHaveLength(expected.length + 1);
  });
});
