// Issue 19's second-pass polish, measured in the page: the colour tokens follow the system unless
// the top bar says otherwise (each way round), the terminal is framed in dark mode, phone cards
// show no label without a value, the run's start date stays on one line, "admin (you)" is
// spaced, and a file's processing badge has the run badges' colours. Screenshots: polish-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signedInPage, startE2E, type E2E } from './browser.js';

const AGENT = `
commands:
  - { name: hello, title: Say hello, argv: ["echo", "hello"] }
logs:
  - { name: app, path: app.log, roles: [admin] }
`;
const LIGHT_BG = 'rgb(244, 245, 247)';
const DARK_BG = 'rgb(26, 29, 35)';
const DARK_TERMINAL_BORDER = 'rgb(58, 66, 82)';

let e: E2E;
let runId = '';

beforeAll(async () => {
  e = await startE2E(AGENT);
  const admin = await e.server.login();
  const r = await e.server.gql(`mutation { runCommand(name: "hello") { id } }`, {}, admin);
  runId = r.data.runCommand.id;
  await e.server.upload({ name: 'notes.txt', content: 'some notes\n' }, admin);
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const rootBg = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

describe('polish', () => {
  it('the theme follows the system, and the top bar overrides it either way', async () => {
    for (const [system, choice, bg] of [
      ['light', null, LIGHT_BG],
      ['dark', null, DARK_BG],
      ['dark', 'light', LIGHT_BG],
      ['light', 'dark', DARK_BG],
    ] as const) {
      const ctx = await e.context({ colorScheme: system });
      if (choice) await ctx.addInitScript(`localStorage.setItem('tiny-agent-theme', '${choice}')`);
      const page = await ctx.newPage();
      await page.goto('/');
      expect({ system, choice, bg: await rootBg(page) }).toEqual({ system, choice, bg });
      await ctx.close();
    }
  });

  it('frames the run output and the log view in dark mode', async () => {
    const { page, problems } = await signedInPage(e);
    await page.evaluate(() => localStorage.setItem('tiny-agent-theme', 'dark'));
    const border = (testid: string) =>
      page
        .getByTestId(testid)
        .evaluate((el) => getComputedStyle(el.closest('.terminal')!))
        .then((s) => `${s.borderTopWidth} ${s.borderTopStyle} ${s.borderTopColor}`);
    await page.goto(`/runs/${runId}`);
    await page.locator('[data-testid="stream-status"][data-state="ended"]').waitFor();
    expect(await border('output-view')).toBe(`1px solid ${DARK_TERMINAL_BORDER}`);
    await screenshot(page, 'polish-dark-run', { fullPage: false });
    await page.goto('/logs?source=app');
    await page.getByTestId('log-view').waitFor();
    expect(await border('log-view')).toBe(`1px solid ${DARK_TERMINAL_BORDER}`);
    expect(problems).toEqual([]);
  });

  describe('on a phone', () => {
    let page: Page;
    let problems: string[];
    beforeAll(async () => {
      ({ page, problems } = await signedInPage(e));
      await page.setViewportSize({ width: 390, height: 844 });
    });

    it('audit cards leave out empty cells instead of showing their label alone', async () => {
      await page.goto('/audit');
      await page.getByTestId('audit-row').first().waitFor();
      // a sign-in has no detail: its card has no "Detail" line
      const lone = await page.locator('td[data-label]').evaluateAll((tds) =>
        tds
          .filter((td) => (td as HTMLElement).offsetParent !== null)
          .filter((td) => !td.textContent?.trim())
          .map((td) => td.getAttribute('data-label')),
      );
      expect(lone).toEqual([]);
      await screenshot(page, 'polish-phone-audit', { fullPage: false });
    });

    it("keeps the run's start date on one line", async () => {
      await page.goto(`/runs/${runId}`);
      const started = page.locator('dt:text-is("Started") + dd');
      await started.waitFor();
      const { height, lineHeight } = await started.evaluate((el) => ({
        height: el.getBoundingClientRect().height,
        lineHeight: parseFloat(getComputedStyle(el).lineHeight),
      }));
      expect(height).toBeLessThan(lineHeight * 1.5);
      await screenshot(page, 'polish-phone-run', { fullPage: false });
    });

    it('spaces "admin (you)"', async () => {
      await page.goto('/users');
      const self = page.getByRole('row').filter({ hasText: '(you)' });
      expect(await self.locator('td').first().innerText()).toMatch(/^admin\s\(you\)/);
    });

    it('colours the file processing badge', async () => {
      await page.goto('/files');
      const badge = page.getByTestId('file-processing').locator('.status');
      await badge.first().waitFor();
      const colours = await badge.first().evaluate((el) => {
        const muted = getComputedStyle(document.documentElement).getPropertyValue('--muted');
        const probe = document.createElement('span');
        probe.style.color = muted;
        document.body.append(probe);
        const grey = getComputedStyle(probe).color;
        probe.remove();
        return { badge: getComputedStyle(el).color, grey };
      });
      expect(colours.badge).not.toBe(colours.grey);
      expect(problems).toEqual([]);
    });
  });
});
