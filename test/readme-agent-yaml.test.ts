// The agent.yaml example in the README is a file the server accepts as written (with the secrets
// it names in the environment), so an operator can paste it and edit from there.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../api/src/config/agent-config.js';
import { ROOT } from './deploy/tools.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README: the agent config example', () => {
  it('loads, with every key it shows', async () => {
    const section = README.slice(README.indexOf('## The agent config'));
    const yaml = /```yaml\n([\s\S]*?)\n```/.exec(section)![1]!;
    const env: Record<string, string> = {
      NTFY_TOKEN: 'tk_readme_example_token',
      DISK_HOOK_SECRET: 'a-secret-of-at-least-16-bytes',
    };
    const config = await parseAgentConfig(yaml, path.join(ROOT, 'agent.yaml'), (n) => env[n]);
    const disk = config.commands[0]!;
    expect(disk.schedules.map((s) => s.id)).toEqual(['disk-usage:0 3 * * *@Europe/Paris']);
    expect(disk.notify).toEqual([{ target: 'phone', on: 'failure' }]);
    expect(disk.approval).toEqual({ approvers: ['admin'], expiresAfterMs: 30 * 60_000 });
    expect([disk.failOn.length, disk.extract.length, disk.watchLogs]).toEqual([1, 1, ['system']]);
    expect(config.hooks.map((h) => [h.name, h.command])).toEqual([['disk-check', 'disk-usage']]);
    expect(config.triggers.map((t) => [t.name, t.source])).toEqual([['oom', 'system']]);
    expect(config.notify.map((t) => t.type)).toEqual(['ntfy']);
    expect(config.retention.outputBytes).toBe(5 * 1024 ** 3);
  });
});
