// Log-pattern triggers through the real server: a real log file appended to, the run it starts,
// refusals recorded on the firing, the cooldown against a burst, rotation and live config edits.
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';
import { CommandRun } from '../commands/command-run.entity.js';
import { Notification } from '../notify/notification.entity.js';
import { firingsOf, waitFollowing, waitForFirings } from './trigger.testkit.js';

const AGENT = `commands:
  - name: restart-service
    title: Restart a service
    argv: [echo, "restarting", "{{service}}"]
    args:
      - { name: service, type: string, pattern: "[a-z-]+" }
    maxConcurrent: 20
  - name: say
    title: Say
    argv: [echo, "{{words}}"]
    args:
      - { name: words, type: string }
    maxConcurrent: 20
logs:
  - { name: app, path: app.log }
  - { name: other, path: other.log }
  - { name: burst, path: burst.log }
triggers:
  - name: oom-restart
    source: app
    pattern: "/Out of memory: Killed process \\\\d+ \\\\((?<proc>[^)]*)\\\\)/"
    cooldown: 0
    run: { command: restart-service, args: { service: "{{proc}}" } }
  - name: say-value
    source: other
    pattern: "/value=(?<v>\\\\S+)(?: unit=(?<unit>\\\\w+))?/"
    cooldown: 0
    run: { command: say, args: { words: "{{v}}{{unit}}" } }
  - name: burst
    source: burst
    pattern: "/boom (?<n>\\\\d+)/"
    cooldown: 2
    run: { command: restart-service, args: { service: burst } }
`;

let s: TestServer;
let admin: { token: string };
const file = (name: string) => path.join(s.dir, name);
const append = (name: string, text: string) => appendFileSync(file(name), text);

beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  for (const name of ['app.log', 'other.log', 'burst.log']) writeFileSync(file(name), 'start\n');
  admin = await s.login();
  for (const t of ['oom-restart', 'say-value', 'burst']) await waitFollowing(s, t);
}, 30_000);
afterAll(() => s?.stop());

describe('log-pattern triggers', () => {
  it('a matching line starts the command as @automation, with argv from the capture', async () => {
    append('app.log', 'noise\nkernel: Out of memory: Killed process 4242 (nginx-worker)\nmore\n');
    const [f] = await waitForFirings(s, admin, 'oom-restart', 1);
    expect(f.line).toBe('kernel: Out of memory: Killed process 4242 (nginx-worker)');
    expect(f.error).toBeNull();
    expect(f.run).toMatchObject({
      trigger: 'LOG_PATTERN',
      triggerName: 'oom-restart',
      argv: ['echo', 'restarting', 'nginx-worker'],
      startedBy: { username: '@automation' },
    });
    // the cursor names the line: the page before it ends with the line that came before
    const page = await s.gql(
      'query($c: String!) { logLines(source: "app", before: $c, last: 1) { text } }',
      { c: f.cursor },
      admin,
    );
    expect(page.errors).toBeUndefined();
    expect(page.data.logLines.map((l: { text: string }) => l.text)).toEqual(['noise']);
  });

  it('a capture the argument refuses is recorded on the firing and runs nothing', async () => {
    const before = await s.app.services.orm.em.fork().count(CommandRun, {});
    append('app.log', 'Out of memory: Killed process 7 (x; rm -rf /)\n');
    append('other.log', 'value=--flag\n');
    const [shell] = await waitForFirings(s, admin, 'oom-restart', 2);
    expect(shell.line).toBe('Out of memory: Killed process 7 (x; rm -rf /)');
    expect(shell.run).toBeNull();
    expect(shell.error).toBe('BAD_USER_INPUT: Argument "service" must match the pattern [a-z-]+.');
    const [dash] = await waitForFirings(s, admin, 'say-value', 1);
    expect(dash.run).toBeNull();
    expect(dash.error).toBe('BAD_USER_INPUT: Argument "words" must not start with "-".');
    expect(await s.app.services.orm.em.fork().count(CommandRun, {})).toBe(before);
  });

  it('a named group that took no part gives an empty string', async () => {
    append('other.log', 'value=12 unit=ms\nvalue=13\n');
    const firings = await waitForFirings(s, admin, 'say-value', 3);
    expect(firings.slice(0, 2).map((f) => f.run?.argv)).toEqual([
      ['echo', '13'],
      ['echo', '12ms'],
    ]);
  });

  it('the cooldown: a burst of 10,000 matches fires once, a match after it fires again', async () => {
    const burst = Array.from({ length: 10_000 }, (_, i) => `boom ${i + 1}`).join('\n');
    append('burst.log', `${burst}\n`);
    const [first] = await waitForFirings(s, admin, 'burst', 1);
    expect(first.line).toBe('boom 1');
    // past the 2 s cooldown, measured from the firing's own time
    const until = new Date(first.at).getTime() + 2000;
    await waitUntil(() => Date.now() > until, { timeoutMs: 5000, what: 'the cooldown to end' });
    append('burst.log', 'boom 10001\n');
    const firings = await waitForFirings(s, admin, 'burst', 2);
    // every line of the burst was read (or dropped) before this one: none of them fired
    expect(firings.map((f) => f.line)).toEqual(['boom 10001', 'boom 1']);
    const runs = await s.app.services.orm.em
      .fork()
      .count(CommandRun, { trigger: 'LOG_PATTERN', triggerName: 'burst' });
    expect(runs).toBe(2);
  });

  it('keeps firing after the log is rotated (renamed, a new file created)', async () => {
    const had = (await firingsOf(s, admin, 'oom-restart')).length;
    renameSync(file('app.log'), file('app.log.1'));
    writeFileSync(file('app.log'), 'Out of memory: Killed process 9 (rotated-one)\n');
    const [f] = await waitForFirings(s, admin, 'oom-restart', had + 1);
    expect(f.run?.argv).toEqual(['echo', 'restarting', 'rotated-one']);
  });

  it('an edit of agent.yaml adds a trigger live', async () => {
    const edited = `${readFileSync(s.agentPath, 'utf8')}  - name: added-live
    source: other
    pattern: "deploy finished"
    run: { command: say, args: { words: done } }
`;
    writeFileSync(s.agentPath, edited);
    await waitFollowing(s, 'added-live');
    append('other.log', 'deploy finished in 3s\n');
    const [f] = await waitForFirings(s, admin, 'added-live', 1);
    expect(f.run?.argv).toEqual(['echo', 'done']);
  });

  it('notify: a firing queues a TRIGGER_FIRED notification for each target', async () => {
    // the notify: targets' YAML belongs to the notifications part: set the config as a reload would
    const config = s.app.services.agent.config;
    s.app.services.agent.config = {
      ...config,
      notify: [{ name: 'ops', type: 'webhook', url: 'http://127.0.0.1:9/', headers: {} }],
      triggers: [
        ...config.triggers,
        {
          name: 'tell',
          source: 'other',
          pattern: 'disk full',
          cooldownSeconds: 0,
          notify: ['ops'],
        },
      ],
    };
    await waitFollowing(s, 'tell');
    append('other.log', 'disk full on /var\n');
    const [f] = await waitForFirings(s, admin, 'tell', 1, { runs: false });
    expect(f.run).toBeNull();
    expect(f.error).toBeNull();
    const rows = await s.app.services.orm.em.fork().find(Notification, { firingId: f.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ target: 'ops', event: 'TRIGGER_FIRED' });
    expect(rows[0].subject).toBe('Trigger tell fired on other');
    expect(rows[0].body).toContain('Line: disk full on /var');
  });

  it('is for administrators only', async () => {
    const user = await s.createUser('trigger-viewer');
    const r = await s.gql('{ logTriggers { name } }', {}, user);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
