// Schedules in the browser: the Automation page lists each schedule with its cron in words, its
// zone and next times in the viewer's zone, and its latest outcomes; a command's page shows its
// next runs; a scheduled run says what started it on its page and in History.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { navTo, screenshot, signedInPage, startE2E, type E2E } from './browser.js';

const AGENT = `
commands:
  - name: tick
    title: Tick
    argv: [echo, "{{word}}"]
    args: [{ name: word, type: string, pattern: "[a-z]+" }]
    schedules: [{ cron: "*/2 * * * * *", args: { word: hello } }]
  - name: nightly
    title: Nightly backup
    argv: [echo, backup]
    schedules: [{ cron: "0 3 * * *", timezone: Europe/Paris, overlap: queue, catchUp: true }]
logs: []
`;

let e: E2E;
beforeAll(async () => {
  e = await startE2E(AGENT);
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

describe('schedules in the UI', () => {
  it('lists schedules with next times and outcomes, and names the schedule on its runs', async () => {
    const { page, problems } = await signedInPage(e);
    await navTo(page, 'Automation');
    const panel = page.getByRole('region', { name: 'Schedules' });
    const tick = panel.locator('[data-schedule-id="tick:*/2 * * * * *@UTC"]');
    const nightly = panel.locator('[data-schedule-id="nightly:0 3 * * *@Europe/Paris"]');
    await tick.waitFor();
    await expect
      .poll(() => tick.getByTestId('schedule-words').textContent())
      .toBe('every 2 seconds');
    expect(await nightly.getByTestId('schedule-cron').textContent()).toBe('0 3 * * *');
    expect(await nightly.textContent()).toContain('(Europe/Paris)');
    expect(await nightly.textContent()).toContain('makes up the last missed time');
    // three next times, each a real instant at 03:00 in Paris, shown with a zone name
    const next = await nightly
      .getByTestId('schedule-next')
      .evaluateAll((els) =>
        els.map((el) => ({ at: el.getAttribute('datetime')!, text: el.textContent!.trim() })),
      );
    expect(next).toHaveLength(3);
    const paris = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hour: '2-digit',
      minute: '2-digit',
    });
    for (const t of next) {
      expect(paris.format(new Date(t.at))).toBe('03:00');
      expect(t.text).toMatch(/UTC|GMT|[A-Z]{3,4}$/);
    }

    // the latest outcomes appear (Refresh asks again)
    await expect
      .poll(
        async () => {
          await panel.getByRole('button', { name: 'Refresh' }).click();
          return tick.locator('[data-testid="schedule-slot"][data-outcome="STARTED"] a').count();
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    await screenshot(page, 'schedules-panel');

    // the run says what started it
    await tick.locator('[data-testid="schedule-slot"][data-outcome="STARTED"] a').first().click();
    await expect
      .poll(() => page.getByTestId('run-trigger').textContent())
      .toBe('Schedule */2 * * * * * (UTC)');
    expect(await page.getByTestId('run-user').textContent()).toBe('@automation');

    // History, filtered to scheduled runs
    await navTo(page, 'History');
    await page.getByRole('combobox', { name: /^Trigger/ }).selectOption('SCHEDULE');
    await expect.poll(() => page.url()).toContain('trigger=SCHEDULE');
    await page.getByTestId('run-row').first().waitFor();
    const by = await page
      .getByTestId('run-row')
      .evaluateAll((rows) =>
        rows.map((r) => r.querySelector('[data-label="By"]')!.textContent!.trim()),
      );
    expect(by.length).toBeGreaterThan(0);
    expect(new Set(by)).toEqual(new Set(['Schedule */2 * * * * * (UTC)']));

    // a scheduled command's page: its next runs under the title
    await page.goto('/commands/nightly');
    await page.getByRole('heading', { level: 1, name: 'Nightly backup' }).waitFor();
    const line = page.getByTestId('next-runs');
    await line.waitFor();
    expect(await line.locator('time').count()).toBe(3);
    await screenshot(page, 'schedules-command-next-runs');
    expect(problems).toEqual([]);
  }, 60_000);
});
