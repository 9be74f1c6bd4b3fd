// Issue 19 items 4 and 5 on the run page: find, copy and download the output (also past the
// 100,000 lines the page keeps), and Run again with the run's own arguments, prefilled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, signIn, signedInPage, startE2E, type E2E } from './browser.js';

const NODE = process.execPath;
// n lines; every 25th says "needle", every line but the first coloured
const LINES =
  "const n=+process.argv[1];let s='';for(let i=1;i<=n;i++)s+=(i>1?'\\x1b[36m':'')+'line '+i+(i%25===0?' NEEDLE here':'')+'\\x1b[0m\\n';process.stdout.write(s)";

const AGENT = `
commands:
  - name: lines
    title: Print lines
    argv: ${JSON.stringify([NODE, '-e', LINES, '{{n}}'])}
    args: [{ name: n, type: int, min: 1, max: 200000 }]
  - name: greet
    title: Greet
    argv: ["echo", "hello", "{{who}}", "{{times}}"]
    args:
      - { name: who, type: string, maxLength: 40 }
      - { name: times, type: int, min: 1, max: 9, default: "1" }
logs: []
`;

let e: E2E;
let page: Page;
let problems: string[];
let admin: { token: string };

beforeAll(async () => {
  e = await startE2E(AGENT);
  ({ page, problems } = await signedInPage(e, {
    permissions: ['clipboard-read', 'clipboard-write'],
  }));
  admin = await e.server.login();
}, 180_000);
afterAll(() => e?.close());

async function runLines(n: number): Promise<string> {
  const r = await e.server.gql(
    `mutation($n: String!) { runCommand(name: "lines", args: [{ name: "n", value: $n }]) { id } }`,
    { n: String(n) },
    admin,
  );
  const id = r.data.runCommand.id;
  await page.goto(`/runs/${id}`);
  await page
    .locator('[data-testid="stream-status"][data-state="ended"]')
    .waitFor({ timeout: 60_000 });
  return id;
}
const clipboard = () => page.evaluate(() => (globalThis as any).navigator.clipboard.readText());
const expectedText = (n: number) =>
  Array.from({ length: n }, (_, i) => `line ${i + 1}${(i + 1) % 25 === 0 ? ' NEEDLE here' : ''}`);

describe('run output tools', () => {
  it('finds: count, next/previous, highlight, and the list scrolls to the match', async () => {
    await runLines(500);
    const find = page.getByTestId('output-find');
    await find.fill('needle');
    await expect.poll(() => page.getByTestId('output-find-count').textContent()).toBe('1 of 20');
    // the first match is line 25, marked and in view
    const current = page.getByTestId('output-match-current');
    await expect.poll(() => current.textContent()).toBe('NEEDLE');
    await find.press('Enter');
    await find.press('Enter');
    await expect.poll(() => page.getByTestId('output-find-count').textContent()).toBe('3 of 20');
    const row = current.locator('xpath=..');
    await expect.poll(() => row.textContent()).toBe('line 75 NEEDLE here');
    expect(await current.isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Previous match' }).click();
    await expect.poll(() => row.textContent()).toBe('line 50 NEEDLE here');
    // jump to the last by going back from the first
    await page.getByRole('button', { name: 'Previous match' }).click();
    await page.getByRole('button', { name: 'Previous match' }).click();
    await expect.poll(() => row.textContent()).toBe('line 500 NEEDLE here');
    expect(await page.locator('.match').count()).toBeGreaterThan(1);
    await screenshot(page, 'run-find');
    await find.fill('no such text');
    await expect.poll(() => page.getByTestId('output-find-count').textContent()).toBe('No matches');
    await find.fill('');
    expect(problems).toEqual([]);
  }, 60_000);

  it('copies the whole output without colour codes, and downloads it from the server', async () => {
    const id = await runLines(300);
    await page.getByRole('button', { name: 'Copy all' }).click();
    await expect.poll(clipboard).toBe(expectedText(300).join('\n'));

    const link = page.getByTestId('output-download');
    expect(await link.getAttribute('href')).toBe(`/runs/${id}/output.txt?plain=1`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^lines-.*\.txt$/);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile((await download.path())!, 'utf8')).toBe(
      expectedText(300).join('\n') + '\n',
    );
    expect(problems).toEqual([]);
  }, 60_000);

  it('past 100,000 lines: says the start is gone, offers the download, and copy still gets all of it', async () => {
    await runLines(100_050);
    const trimmed = page.getByTestId('output-trimmed');
    await trimmed.waitFor();
    expect(await trimmed.textContent()).toContain('The first 50 lines are not kept on this page.');
    await trimmed.getByRole('link', { name: 'Download the whole output' }).waitFor();
    await screenshot(page, 'run-trimmed', { fullPage: false });
    await page.getByRole('button', { name: 'Copy all' }).click();
    await expect
      .poll(async () => (await clipboard()).split('\n').length, { timeout: 20_000 })
      .toBe(100_051);
    const copied: string = await clipboard();
    expect(copied.startsWith('line 1\nline 2\n')).toBe(true);
    expect(copied.endsWith('line 100050 NEEDLE here\n')).toBe(true);
    expect(problems).toEqual([]);
  }, 120_000);

  it('Run again opens the form with the run’s arguments, editable', async () => {
    await page.goto('/commands/greet');
    await page.getByLabel('who', { exact: true }).fill('Ada & Bob');
    await page.getByLabel('times', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForURL(/\/runs\/[^/]+$/);
    await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
    expect(await page.getByTestId('run-args').textContent()).toMatch(/who\s*Ada & Bob\s*times\s*3/);

    await page.getByRole('link', { name: 'Run again' }).click();
    await page.getByRole('heading', { level: 1, name: 'Greet' }).waitFor();
    expect(await page.getByLabel('who', { exact: true }).inputValue()).toBe('Ada & Bob');
    expect(await page.getByLabel('times', { exact: true }).inputValue()).toBe('3');
    await screenshot(page, 'run-again-form');
    // a reload keeps the prefill (it is in the URL)
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Greet' }).waitFor();
    expect(await page.getByLabel('who', { exact: true }).inputValue()).toBe('Ada & Bob');

    await page.getByLabel('times', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForURL(/\/runs\/[^/]+$/);
    await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
    expect(JSON.parse((await page.getByTestId('run-argv').getAttribute('title'))!)).toEqual([
      'echo',
      'hello',
      'Ada & Bob',
      '2',
    ]);
    expect(problems).toEqual([]);
  }, 60_000);

  it('dark and phone: the run page with its tools, nothing scrolls sideways at 390 px', async () => {
    const id = await runLines(200);
    for (const [name, opts] of [
      ['run-dark', { colorScheme: 'dark' as const }],
      ['run-phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
      ['run-phone-dark', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const }],
    ] as const) {
      const ctx = await e.context(opts);
      const p = await ctx.newPage();
      await signIn(p);
      await p.goto(`/runs/${id}`);
      await p.locator('[data-testid="stream-status"][data-state="ended"]').waitFor();
      await p.getByTestId('output-find').fill('needle');
      await expect.poll(() => p.getByTestId('output-find-count').textContent()).toBe('1 of 8');
      const width = await p.evaluate(
        () => (globalThis as any).document.documentElement.scrollWidth,
      );
      expect(width).toBeLessThanOrEqual(opts.viewport?.width ?? 1280);
      await screenshot(p, name);
      expect(ctx.problems).toEqual([]);
      await ctx.close();
    }
  }, 90_000);
});
