// Issue 24 item 2 on the run page: a run that exited 0 but printed a failOn line shows FAILED with
// that line as its reason, and a command's extract captures show as a key/value result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runAsAdmin, screenshot, signedInPage, startE2E, type E2E } from './browser.js';

const AGENT = String.raw`
commands:
  - name: cleanup
    title: Clean up and report free space
    argv:
      - sh
      - -c
      - |
        echo "removing old archives"
        echo "rm: cannot remove '/var/backups/old.tar': No space left on device" >&2
        printf 'Filesystem      Size  Used Avail Use%% Mounted on\n'
        printf '/dev/sda1        50G   38G   12G  77%% /\n'
    failOn: ['/ERROR|FATAL/', 'No space left']
    extract: ['/(?<free>\d+[KMGT]?)\s+\d+%\s+\/$/', '/(?<use>\d+%)\s+\/$/']
  - name: hello
    title: Hello
    argv: [echo, hello]
logs: []
`;

let e: E2E;
let page: Page;
let problems: string[];

beforeAll(async () => {
  e = await startE2E(AGENT);
  ({ page, problems } = await signedInPage(e));
}, 180_000);
afterAll(() => e?.close());

async function openRun(command: string): Promise<void> {
  const id = await runAsAdmin(e, command);
  await page.goto(`/runs/${id}`);
  await page
    .locator('[data-testid="stream-status"][data-state="ended"]')
    .waitFor({ timeout: 30_000 });
}

describe('run page: output checks', () => {
  it('shows the failOn reason with its line, and the extracted result', async () => {
    await openRun('cleanup');
    await expect
      .poll(() => page.getByTestId('run-status').getAttribute('data-status'))
      .toBe('FAILED');
    expect(await page.getByTestId('run-exit-code').textContent()).toBe('0');
    await expect
      .poll(() => page.getByTestId('run-check-reason').textContent())
      .toContain(
        "failOn matched: rm: cannot remove '/var/backups/old.tar': No space left on device",
      );
    const rows = page.getByTestId('run-result').locator('tr');
    expect(await rows.allInnerTexts()).toEqual(['free\t12G', 'use\t77%']);
    await screenshot(page, 'run-checks');
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows neither for a command without checks', async () => {
    await openRun('hello');
    await expect
      .poll(() => page.getByTestId('run-status').getAttribute('data-status'))
      .toBe('SUCCEEDED');
    expect(await page.getByTestId('run-check-reason').count()).toBe(0);
    expect(await page.getByTestId('run-result').count()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
