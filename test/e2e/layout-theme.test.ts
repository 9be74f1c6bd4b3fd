// The theme toggle (light / dark / system, remembered, applied before the app's code runs), the
// terminal standing out from the page, and the upload queue showing the cleaned file name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, signIn, startE2E, type E2E } from './browser.js';

let e: E2E;
let runId = '';

beforeAll(async () => {
  e = await startE2E(`
commands:
  - name: hello
    title: Hello
    argv: ["echo", "hello from the terminal"]
`);
  const admin = await e.server.login();
  runId = (await e.server.gql(`mutation { runCommand(name: "hello") { id } }`, {}, admin)).data
    .runCommand.id;
}, 180_000);
afterAll(() => e?.close());

const rootState = (page: Page) =>
  page.evaluate(() => {
    const d = (globalThis as any).document.documentElement;
    return {
      theme: d.dataset.theme ?? null,
      bg: (globalThis as any).getComputedStyle(d).backgroundColor as string,
    };
  });

describe('theme', () => {
  it('the toggle cycles system → light → dark, is remembered, and applies before the app loads', async () => {
    // the system says light; the user picks dark
    const ctx = await e.context({ colorScheme: 'light' });
    const page = await ctx.newPage();
    await signIn(page);
    const toggle = page.getByTestId('theme-toggle');
    expect(await toggle.getAttribute('data-theme-choice')).toBe('system');
    const light = (await rootState(page)).bg;
    await toggle.click();
    expect(await toggle.getAttribute('data-theme-choice')).toBe('light');
    await toggle.click();
    expect(await toggle.getAttribute('data-theme-choice')).toBe('dark');
    const dark = await rootState(page);
    expect(dark.theme).toBe('dark');
    expect(dark.bg).not.toBe(light);

    expect(ctx.problems).toEqual([]);
    // reloaded with the app's own code blocked: the page is dark already (no light flash first)
    await page.route('**/assets/*.js', (r) => r.abort());
    await page.reload();
    expect(await rootState(page)).toEqual(dark);
    await page.unroute('**/assets/*.js');
    ctx.problems.splice(0); // the blocked scripts' own console errors
    await page.reload();
    await page.getByTestId('theme-toggle').waitFor();
    expect(await page.getByTestId('theme-toggle').getAttribute('data-theme-choice')).toBe('dark');

    // back to system: the stored choice goes and the system's light applies again
    await page.getByTestId('theme-toggle').click();
    expect(await rootState(page)).toEqual({ theme: null, bg: light });
    expect(await page.evaluate(() => (globalThis as any).localStorage.length)).toBe(0);
    expect(ctx.problems).toEqual([]);
  }, 60_000);

  it('the terminal stands out from the page in both themes', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const ctx = await e.context({ colorScheme: scheme });
      const page = await ctx.newPage();
      await signIn(page);
      await page.goto(`/runs/${runId}`);
      await page.getByTestId('output-line').first().waitFor();
      const [term, pageBg] = await page.getByTestId('output-view').evaluate((v: any) => {
        const w = globalThis as any;
        // the terminal's background is on the output view's frame (the nearest painted ancestor)
        let el = v;
        while (el && w.getComputedStyle(el).backgroundColor === 'rgba(0, 0, 0, 0)')
          el = el.parentElement;
        return [
          w.getComputedStyle(el).backgroundColor,
          w.getComputedStyle(w.document.documentElement).backgroundColor,
        ];
      });
      const lum = (c: string) =>
        c
          .match(/\d+/g)!
          .slice(0, 3)
          .map(Number)
          .reduce((x, y) => x + y, 0) / 3;
      // mean RGB channel apart (0–255); the old dark theme's terminal was 5 from its page
      expect(
        Math.abs(lum(term) - lum(pageBg)),
        `${scheme}: terminal ${term} on page ${pageBg}`,
      ).toBeGreaterThan(18);
      await screenshot(page, `layout-theme-terminal-${scheme}`, { fullPage: false });
      await ctx.close();
    }
  }, 60_000);
});

describe('upload queue', () => {
  it('shows the cleaned name, never the raw one with a bidi override', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto('/files');
    await page.getByRole('heading', { level: 1, name: 'Files' }).waitFor();
    // shown raw, U+202E makes "invoice\u202Etxt.exe" read as "invoiceexe.txt"
    await page.getByLabel('Choose files to upload').setInputFiles({
      name: 'invoice\u202Etxt.exe',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a program\n'),
    });
    const item = page.getByTestId('upload-item').first();
    await item.waitFor();
    expect(await item.locator('.name').textContent()).toBe('invoicetxt.exe');
    await page.locator('[data-testid="upload-item"][data-state="done"]').waitFor();
    expect(await item.locator('.name').textContent()).toBe('invoicetxt.exe');
    expect(await page.getByTestId('file-row').first().textContent()).toContain('invoicetxt.exe');
    expect(ctx.problems).toEqual([]);
  }, 60_000);
});
