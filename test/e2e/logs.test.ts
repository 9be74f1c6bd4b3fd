// The log view: a tailed file's new lines appear live, pause/resume and a dropped connection lose
// nothing, and whatever a log line says is shown as text, never as markup. The browser reaches the
// server through a TCP proxy the test can cut.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signIn, startE2E, viewLines, type E2E } from './browser.js';

const AGENT = `
commands: []
logs:
  - name: app
    path: app.log
    roles: [admin, user]
  - name: secret
    path: secret.log
    roles: [admin]
`;

let e: E2E;
let page: Page;
let problems: string[];
let appLog: string;
const dialogs: string[] = [];

beforeAll(async () => {
  e = await startE2E(AGENT, { proxy: true });
  appLog = path.join(e.server.dir, 'app.log');
  writeFileSync(appLog, 'first line\nsecond line\n');
  writeFileSync(path.join(e.server.dir, 'secret.log'), 'secret stuff\n');
  const ctx = await e.context();
  problems = ctx.problems;
  page = await ctx.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signIn(page);
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const count = () => page.getByTestId('log-view').getAttribute('data-line-count').then(Number);
const line = (text: string) => page.getByTestId('log-line').filter({ hasText: text });

async function openApp(backfilled: number) {
  await page.goto('/logs?source=app');
  await page.getByRole('heading', { level: 1, name: 'Logs' }).waitFor();
  await page.locator('[data-testid="log-status"][data-state="live"]').waitFor({ timeout: 10_000 });
  await expect.poll(count).toBe(backfilled); // every line so far (backfill is 200)
}

describe('logs', () => {
  it('shows a line appended to a tailed file, live; lines written while paused arrive on resume', async () => {
    await openApp(2);
    expect(await viewLines(page, 'log-view')).toEqual(['first line', 'second line']);
    expect(await page.getByRole('combobox', { name: 'Source' }).inputValue()).toBe('app');

    const marker = `appended by the test ${Date.now()}`;
    appendFileSync(appLog, `${marker}\n`);
    await line(marker).waitFor({ timeout: 10_000 });
    expect(await count()).toBe(3);

    // a JSON line at level error is shown readably and flagged
    appendFileSync(
      appLog,
      `${JSON.stringify({ level: 'error', msg: 'disk full', device: 'sda1' })}\n`,
    );
    await line('disk full').waitFor({ timeout: 10_000 });
    expect(await line('disk full').getAttribute('data-level')).toBe('error');
    expect(await line('disk full').textContent()).toBe('ERROR disk full device=sda1');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('[data-testid="log-status"][data-state="paused"]').waitFor();
    appendFileSync(appLog, 'while paused 1\nwhile paused 2\n');
    await page.waitForTimeout(800);
    expect(await count()).toBe(4);
    await page.getByRole('button', { name: 'Resume' }).click();
    await line('while paused 2').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="log-status"][data-state="live"]').waitFor();
    expect(await viewLines(page, 'log-view')).toEqual([
      'first line',
      'second line',
      marker,
      'ERROR disk full device=sda1',
      'while paused 1',
      'while paused 2',
    ]);
    expect(problems).toEqual([]);
  }, 60_000);

  it('a quiet tail reconnects after the connection drops: back to Live, and nothing lost or repeated', async () => {
    await openApp(6);
    const before = await viewLines(page, 'log-view');
    expect(e.proxy!.cut(1_000)).toBeGreaterThan(0);
    await page
      .locator('[data-testid="log-status"][data-state="reconnecting"]')
      .waitFor({ timeout: 5_000 });
    // nothing is written meanwhile: the view must still say it is live again once it is
    await page
      .locator('[data-testid="log-status"][data-state="live"]')
      .waitFor({ timeout: 10_000 });
    appendFileSync(appLog, 'after the drop\n');
    await line('after the drop').waitFor({ timeout: 10_000 });
    expect(await viewLines(page, 'log-view')).toEqual([...before, 'after the drop']);
    expect(
      problems.filter(
        (p) => !/WebSocket connection to .* failed|Failed to load resource: net::ERR_/.test(p),
      ),
    ).toEqual([]);
    problems.length = 0;
  }, 60_000);

  it('shows markup in a log line as text: no element made, no script run', async () => {
    await openApp(7);
    const attacks = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(2)</script><b>bold?</b>',
      JSON.stringify({
        level: 'info',
        msg: '<img src=y onerror=alert(3)>',
        html: '<svg onload=alert(4)>',
      }),
    ];
    appendFileSync(appLog, attacks.map((a) => `${a}\n`).join(''));
    await page
      .getByTestId('log-line')
      .filter({ hasText: '<img src=x onerror=alert(1)>' })
      .waitFor({ timeout: 10_000 });
    await page
      .getByTestId('log-line')
      .filter({ hasText: '<svg onload=alert(4)>' })
      .waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500); // an onerror would have fired by now

    const texts = await viewLines(page, 'log-view');
    expect(texts.slice(-3)).toEqual([
      attacks[0],
      attacks[1],
      `INFO  <img src=y onerror=alert(3)> html="<svg onload=alert(4)>"`,
    ]);
    await expect
      .poll(() =>
        page
          .getByTestId('log-line')
          .filter({ hasText: '<img src=x onerror=alert(1)>' })
          .isVisible(),
      )
      .toBe(true);
    const view = page.getByTestId('log-view');
    expect(await view.locator('img, script, svg, b').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);
});
