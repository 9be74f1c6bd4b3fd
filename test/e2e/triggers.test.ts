// The Triggers panel of the Automation page: each trigger (its source linked to the Logs page, its
// pattern, cooldown and action) and its last firings; a line appended to a real log file appears
// there as a firing with its run, and a capture the argument refuses as a refusal.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFollowing } from '../../api/src/modules/triggers/trigger.testkit.js';
import { screenshot, signedInPage, startE2E, type E2E } from './browser.js';

const AGENT = `
commands:
  - name: restart-service
    title: Restart a service
    argv: [echo, restarting, "{{service}}"]
    args:
      - { name: service, type: string, pattern: "[a-z-]+" }
    maxConcurrent: 5
logs:
  - { name: app, path: app.log }
triggers:
  - name: oom-restart
    source: app
    pattern: "/Out of memory: Killed process \\\\d+ \\\\((?<proc>[^)]*)\\\\)/"
    cooldown: 0
    run: { command: restart-service, args: { service: "{{proc}}" } }
`;

let e: E2E;
beforeAll(async () => {
  e = await startE2E(AGENT);
  writeFileSync(path.join(e.server.dir, 'app.log'), 'booted\n');
  await waitFollowing(e.server, 'oom-restart');
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

describe('the Triggers panel', () => {
  it('shows a trigger, then the firings of lines appended to its log', async () => {
    const { page, problems } = await signedInPage(e);
    await page.goto('/automation');
    const trigger = page.getByTestId('trigger-oom-restart');
    await trigger.getByRole('heading', { name: 'oom-restart' }).waitFor();
    expect(await trigger.getByTestId('trigger-action').innerText()).toBe(
      'runs restart-service service={{proc}}',
    );
    const source = trigger.getByRole('link', { name: 'app' });
    expect(await source.getAttribute('href')).toMatch(/^\/logs\?source=app&filter=%2FOut\+of/);
    await trigger.getByTestId('trigger-never').waitFor();

    const log = path.join(e.server.dir, 'app.log');
    appendFileSync(log, 'kernel: Out of memory: Killed process 31 (web-worker)\n');
    appendFileSync(log, 'kernel: Out of memory: Killed process 32 (evil; rm -rf /)\n');
    // the panel refreshes itself: no reload
    const rows = trigger.getByTestId('trigger-firing');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    const [newest, oldest] = await rows.all();
    await expect
      .poll(() => newest.getByTestId('firing-error').innerText(), { timeout: 15_000 })
      .toBe('Refused: BAD_USER_INPUT: Argument "service" must match the pattern [a-z-]+.');
    expect(await newest.innerText()).toContain('(evil; rm -rf /)');
    const run = oldest.getByTestId('firing-run');
    await run.waitFor();
    expect(await oldest.innerText()).toContain('Killed process 31 (web-worker)');
    await screenshot(page, 'automation-triggers');

    await run.click();
    await page.waitForURL(/\/runs\//);
    await expect
      .poll(() => page.getByTestId('output-view').innerText(), { timeout: 15_000 })
      .toContain('restarting web-worker');
    expect(problems).toEqual([]);
  });
});
