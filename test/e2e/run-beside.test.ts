// Issue 24 items 3 and 5 in the browser: a run's watched log beside its output (live, then the
// stored window when reopened), and the line diff of two runs of one command.
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signedInPage, startE2E, type E2E } from './browser.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-beside-'));
const LOG = path.join(dir, 'service.log');
const FLAG = path.join(dir, 'flag');
writeFileSync(LOG, 'old line before the run\n');

const AGENT = `
commands:
  - name: restart
    title: Restart the service
    argv: [sh, -c, 'echo restarting; while [ ! -e "$FLAG" ]; do sleep 0.05; done; echo restarted']
    env: { FLAG: ${FLAG} }
    watchLogs: [service]
  - name: report
    title: Report
    argv: [sh, -c, 'echo a; echo "$1"; echo c', sh, '{{mid}}']
    args: [{ name: mid, type: string, maxLength: 10 }]
    maxConcurrent: 2
logs:
  - { name: service, path: ${LOG}, format: text }
`;

let e: E2E;
let page: Page;
let problems: string[];
let admin: { token: string };

beforeAll(async () => {
  e = await startE2E(AGENT);
  ({ page, problems } = await signedInPage(e));
  admin = await e.server.login();
}, 180_000);
afterAll(() => e?.close());

async function run(name: string, args: { name: string; value: string }[] = []): Promise<string> {
  const r = await e.server.gql(
    `mutation($n: String!, $a: [CommandArgInput!]) { runCommand(name: $n, args: $a) { id } }`,
    { n: name, a: args },
    admin,
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.runCommand.id;
}
const panelLines = () =>
  page
    .locator(
      '[data-testid="run-log-panel"][data-source="service"] [data-testid="run-log-lines"] > div',
    )
    .allTextContents();

describe('a run beside its logs', () => {
  it('shows the watched log’s lines written during the run next to the output, live and when reopened', async () => {
    const id = await run('restart');
    await page.goto(`/runs/${id}`);
    await page.getByTestId('output-view').getByText('restarting').waitFor();
    appendFileSync(LOG, 'service stopping\nservice started on :8080\n');
    await expect
      .poll(panelLines, { timeout: 15_000 })
      .toEqual(['service stopping', 'service started on :8080']);
    // beside the output on a wide screen
    const output = await page.getByTestId('output-view').boundingBox();
    const logs = await page.getByTestId('run-logs-beside').boundingBox();
    expect(logs!.x).toBeGreaterThan(output!.x + output!.width - 1);

    writeFileSync(FLAG, '');
    await page.locator('[data-testid="stream-status"][data-state="ended"]').waitFor();
    // then the stored window, fixed: a line written after the run does not join it
    const link = page.getByRole('link', { name: 'service', exact: true });
    await expect.poll(() => link.getAttribute('href')).toMatch(/&until=/);
    appendFileSync(LOG, 'a line after the run\n');
    await screenshot(page, 'run-beside-logs');

    // reopened later: the same window, from the stored cursors
    await page.reload();
    await page.getByTestId('run-log-panel').waitFor();
    await expect.poll(panelLines).toEqual(['service stopping', 'service started on :8080']);
    expect(await link.getAttribute('href')).toMatch(/^\/logs\?source=service&since=.+&until=.+/);

    // on a phone the panel goes below the output
    await page.setViewportSize({ width: 390, height: 844 });
    const below = await page.getByTestId('run-logs-beside').boundingBox();
    const out = await page.getByTestId('output-view').boundingBox();
    expect(below!.y).toBeGreaterThan(out!.y + out!.height - 1);
    await screenshot(page, 'run-beside-logs-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(problems).toEqual([]);
  });

  it('compares two runs of a command line by line', async () => {
    const first = await run('report', [{ name: 'mid', value: 'b' }]);
    const second = await run('report', [{ name: 'mid', value: 'x' }]);
    await page.goto(`/runs/${second}`);
    await page.locator('[data-testid="stream-status"][data-state="ended"]').waitFor();
    const select = page.getByTestId('run-compare-select');
    await select.selectOption(first);
    await page.getByRole('button', { name: 'Compare outputs' }).click();
    await page.getByTestId('run-diff').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/runs/${second}/diff/${first}`);
    const rows = await page
      .getByTestId('run-diff')
      .locator('.row')
      .evaluateAll((els) =>
        els.map((el) => `${el.getAttribute('data-kind') ?? 'same'}:${el.textContent?.trim()}`),
      );
    expect(rows).toEqual(['same:a', 'removed:−b', 'added:+x', 'same:c']);
    await expect
      .poll(() => page.getByTestId('diff-summary').textContent())
      .toContain('1 line removed, 1 added');
    await screenshot(page, 'run-diff');
    expect(problems).toEqual([]);
  });
});
