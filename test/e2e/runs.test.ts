// Running commands from the UI: the generated form, live output, cancelling, and output that
// survives the connection dropping mid-run. The browser reaches the server through a TCP proxy
// the test can cut (Chromium's emulated "offline" leaves open WebSockets alone).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { COUNT_SCRIPT, signedInPage, startE2E, viewLines, type E2E } from './browser.js';

const NODE = process.execPath;

const AGENT = `
commands:
  - name: count
    title: Count slowly
    description: Numbered lines, one every gap milliseconds
    argv: ["${NODE}", "-e", "${COUNT_SCRIPT}", "--", "{{label}}", "{{lines}}", "{{gap}}"]
    args:
      - { name: label, type: string, maxLength: 40, pattern: "[a-z ]+" }
      - { name: lines, type: int, min: 1, max: 1000, default: 10 }
      - { name: gap, type: int, min: 1, max: 1000, default: 100 }
    timeout: 60
    maxConcurrent: 4
    roles: [admin, user]
  - name: wait
    title: Wait a long time
    argv: ["sleep", "300"]
    timeout: 600
logs: []
`;

let e: E2E;
let page: Page;
let problems: string[];

beforeAll(async () => {
  e = await startE2E(AGENT, { proxy: true });
  ({ page, problems } = await signedInPage(e));
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const lineCount = () =>
  page.getByTestId('output-view').getAttribute('data-line-count').then(Number);

/** Fills the generated form of `count` and presses Run; resolves on the new run's page. */
async function startCount(label: string, lines: number, gap: number): Promise<string> {
  await page.goto('/commands/count');
  await page.getByRole('heading', { level: 1, name: 'Count slowly' }).waitFor();
  await page.getByLabel('label', { exact: true }).fill(label);
  await page.getByLabel('lines', { exact: true }).fill(String(lines));
  await page.getByLabel('gap', { exact: true }).fill(String(gap));
  await page.getByRole('button', { name: 'Run' }).click();
  await page.waitForURL(/\/runs\/[^/]+$/);
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
}

describe('runs', () => {
  it('runs a command from its generated form; output arrives live; exact argv and SUCCEEDED', async () => {
    // the form refuses a value the pattern does not allow, before anything is sent
    await page.goto('/commands/count');
    await page.getByLabel('label', { exact: true }).fill('Not Allowed 1');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(() => page.getByLabel('label', { exact: true }).getAttribute('aria-invalid'))
      .toBe('true');
    expect(page.url()).toMatch(/\/commands\/count$/);

    const id = await startCount('hello world', 20, 150);
    expect(id).not.toBe('');

    // some lines are on screen while the run is still going: the output is live, not read at the end
    await page.waitForFunction(
      () =>
        Number(
          (globalThis as any).document.querySelector('[data-testid="output-view"]')?.dataset
            .lineCount,
        ) >= 3,
    );
    expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('RUNNING');
    expect(await lineCount()).toBeLessThan(20);
    await expect
      .poll(() => page.getByTestId('stream-status').getAttribute('data-state'))
      .toBe('live');

    await page
      .locator('[data-testid="run-status"][data-status="SUCCEEDED"]')
      .waitFor({ timeout: 20_000 });
    await expect.poll(lineCount).toBe(20);
    expect(await viewLines(page, 'output-view')).toEqual(
      Array.from({ length: 20 }, (_, i) => `hello world ${i + 1}`),
    );
    expect(await page.getByTestId('run-exit-code').textContent()).toBe('0');
    expect(await page.getByTestId('run-user').textContent()).toBe('admin');
    await expect
      .poll(() => page.getByTestId('stream-status').getAttribute('data-state'))
      .toBe('ended');

    // the exact argv: all of it in the title (JSON), and readably quoted on screen
    const argvEl = page.getByTestId('run-argv');
    expect(JSON.parse((await argvEl.getAttribute('title'))!)).toEqual([
      NODE,
      '-e',
      COUNT_SCRIPT,
      '--',
      'hello world',
      '20',
      '150',
    ]);
    const shown = (await argvEl.textContent())!;
    expect(shown.startsWith(`${NODE} -e '`)).toBe(true);
    expect(shown.endsWith(` -- 'hello world' 20 150`)).toBe(true);

    // the run is in the history, finished
    await page.goto('/history');
    await page
      .locator(`[data-testid="run-row"][data-run-id="${id}"] [data-status="SUCCEEDED"]`)
      .waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  it('cancels a long run: CANCELLED on the run page, and the dashboard sees it start and stop live', async () => {
    const dashboard = await page.context().newPage();
    await dashboard.goto('/');
    await dashboard.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await expect.poll(() => dashboard.getByTestId('running-count').textContent()).toBe('(0)');

    await page.goto('/commands/wait');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForURL(/\/runs\/[^/]+$/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.locator('[data-testid="run-status"][data-status="RUNNING"]').waitFor();
    expect(await page.getByTestId('run-argv').textContent()).toBe('sleep 300');
    // a run that prints nothing is still followed live, not "Connecting…" for ever
    await page
      .locator('[data-testid="stream-status"][data-state="live"]')
      .waitFor({ timeout: 10_000 });

    // the dashboard (another tab) learns of the run through its subscription, without a reload
    await expect
      .poll(() => dashboard.getByTestId('running-count').textContent(), { timeout: 10_000 })
      .toBe('(1)');
    await dashboard.locator(`[data-testid="run-row"][data-run-id="${id}"]`).first().waitFor();

    const started = Date.now();
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel run' }).click();
    await page
      .locator('[data-testid="run-status"][data-status="CANCELLED"]')
      .waitFor({ timeout: 15_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Run again' }).waitFor();

    // the server agrees
    const admin = await e.server.login();
    const r = await e.server.gql(
      `query($id: ID!) { commandRun(id: $id) { status finishedAt } }`,
      { id },
      admin,
    );
    expect(r.data.commandRun.status).toBe('CANCELLED');
    expect(r.data.commandRun.finishedAt).not.toBeNull();

    await expect
      .poll(() => dashboard.getByTestId('running-count').textContent(), { timeout: 10_000 })
      .toBe('(0)');
    await dashboard.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows every output chunk exactly once, in order, when the connection drops twice mid-run', async () => {
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const id = await startCount('n', 60, 150); // 9 s
    const admin = await e.server.login();
    const serverStatus = async () =>
      (await e.server.gql(`query($id: ID!) { commandRun(id: $id) { status } }`, { id }, admin)).data
        .commandRun.status;
    await page.locator('[data-testid="stream-status"][data-state="live"]').waitFor();
    const socketsBefore = sockets.length;

    // first drop: every connection reset, and none accepted for 1.5 s while the run keeps printing
    await page.waitForFunction(
      () =>
        Number(
          (globalThis as any).document.querySelector('[data-testid="output-view"]')?.dataset
            .lineCount,
        ) >= 12,
    );
    const seenAtCut = await lineCount();
    expect(seenAtCut).toBeLessThan(40);
    expect(e.proxy!.cut(1_500)).toBeGreaterThan(0);
    expect(await serverStatus()).toBe('RUNNING');
    await page
      .locator('[data-testid="stream-status"][data-state="reconnecting"]')
      .waitFor({ timeout: 5_000 });
    await page
      .locator('[data-testid="stream-status"][data-state="live"]')
      .waitFor({ timeout: 15_000 });

    // second drop, reconnecting at once
    await page.waitForFunction(
      (n) =>
        Number(
          (globalThis as any).document.querySelector('[data-testid="output-view"]')?.dataset
            .lineCount,
        ) >= n,
      seenAtCut + 15,
    );
    expect(e.proxy!.cut()).toBeGreaterThan(0);
    expect(await serverStatus()).toBe('RUNNING'); // both drops really were mid-run
    await page
      .locator('[data-testid="stream-status"][data-state="reconnecting"]')
      .waitFor({ timeout: 5_000 });

    await page
      .locator('[data-testid="run-status"][data-status="SUCCEEDED"]')
      .waitFor({ timeout: 30_000 });
    await page
      .locator('[data-testid="stream-status"][data-state="ended"]')
      .waitFor({ timeout: 15_000 });
    expect(sockets.length).toBeGreaterThan(socketsBefore); // it really did open new sockets

    const lines = await viewLines(page, 'output-view');
    expect(await lineCount()).toBe(60);
    expect(lines).toEqual(Array.from({ length: 60 }, (_, i) => `n ${i + 1}`));
    // a reload reads the stored output: the same 60 lines
    await page.reload();
    await page
      .locator('[data-testid="stream-status"][data-state="ended"]')
      .waitFor({ timeout: 15_000 });
    expect(await viewLines(page, 'output-view')).toEqual(lines);
    // the only console errors allowed are Chromium's own notes about the sockets the proxy reset
    expect(
      problems.filter(
        (p) =>
          !/WebSocket connection to .* failed|Failed to load resource: net::ERR_(CONNECTION_RESET|EMPTY_RESPONSE|CONNECTION_REFUSED|SOCKET_NOT_CONNECTED)/.test(
            p,
          ),
      ),
    ).toEqual([]);
  }, 90_000);
});
