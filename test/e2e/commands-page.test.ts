// The commands page at scale: search as you type (/ focuses it), groups with ungrouped last,
// built-in and emoji icons, one-click run (asking first when agent.yaml says confirm), and a
// FILE argument uploaded in place from the run form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, signIn, signedInPage, startE2E, viewLines, type E2E } from './browser.js';

const AGENT = `
commands:
  - { name: disk-usage, title: Disk usage, description: Free space on a mount point, argv: ["echo", "disk"], group: System, icon: disk }
  - { name: memory, title: Memory usage, description: Free and used memory, argv: ["echo", "memory"], group: System, icon: memory }
  - { name: uptime, title: Uptime, description: How long the host has been up, argv: ["echo", "up"], group: System, icon: clock }
  - { name: tail-nginx, title: Tail nginx log, description: The last lines of the access log, argv: ["echo", "{{lines}}"], group: Logs, icon: log,
      args: [{ name: lines, type: int, min: 1, max: 100, default: 10 }] }
  - name: restart-web
    title: Restart the web server
    description: Restarts nginx; visitors see errors for a few seconds
    argv: ["echo", "restarted {{service}}"]
    args: [{ name: service, type: enum, choices: [nginx, caddy], default: nginx }]
    group: Services
    icon: restart
    confirm: true
  - { name: flush-cache, title: Flush the cache, description: Drops every cached page, argv: ["echo", "flushed"], group: Services, icon: "🧹", confirm: "Flush every cached page now?" }
  - { name: hello, title: Say hello, argv: ["echo", "hello from one click"], icon: "👋" }
  - name: checksum
    title: Checksum a file
    description: SHA-256 of an uploaded file
    argv: ["sha256sum", "--", "{{upload}}"]
    args: [{ name: upload, type: file, description: The file to hash }]
logs: []
`;

let e: E2E;
let page: Page;
let problems: string[];

beforeAll(async () => {
  e = await startE2E(AGENT);
  ({ page, problems } = await signedInPage(e));
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const cards = () =>
  page
    .getByTestId('command-card')
    .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.command));
const groups = () =>
  page.getByTestId('command-group').evaluateAll((els) =>
    els.map((el) => ({
      heading: el.querySelector('h2')?.textContent,
      commands: [...el.querySelectorAll('[data-testid="command-card"]')].map(
        (c) => (c as HTMLElement).dataset.command,
      ),
    })),
  );
async function runCount(): Promise<number> {
  const admin = await e.server.login();
  const r = await e.server.gql(`{ commandRuns(first: 100) { edges { node { id } } } }`, {}, admin);
  return r.data.commandRuns.edges.length;
}
async function openCommands() {
  await page.goto('/commands');
  await page.getByRole('heading', { level: 1, name: 'Commands' }).waitFor();
  await page.getByTestId('command-card').first().waitFor();
}

describe('commands page', () => {
  it('shows groups in file order with ungrouped last, and icons drawn, never fetched', async () => {
    await openCommands();
    expect(await groups()).toEqual([
      { heading: 'System', commands: ['disk-usage', 'memory', 'uptime'] },
      { heading: 'Logs', commands: ['tail-nginx'] },
      { heading: 'Services', commands: ['restart-web', 'flush-cache'] },
      { heading: 'Other', commands: ['hello', 'checksum'] },
    ]);
    // a built-in name is an inline SVG; an emoji is text; no card has an <img>
    const disk = page.locator('[data-command="disk-usage"] [data-testid="command-icon"]');
    expect(await disk.locator('svg path').count()).toBe(1);
    const broom = page.locator('[data-command="flush-cache"] [data-testid="command-icon"]');
    expect((await broom.textContent())?.trim()).toBe('🧹');
    expect(await page.locator('[data-testid="command-card"] img').count()).toBe(0);
    expect(
      await page.locator('[data-command="checksum"] [data-testid="command-icon"]').count(),
    ).toBe(0);
    await screenshot(page, 'commands-grouped');
  });

  it('filters as you type on name, title and description; / focuses the box, Esc clears it', async () => {
    await openCommands();
    await page.locator('main h1').click(); // focus is on the page, not in a field
    await page.keyboard.press('/');
    const search = page.getByRole('searchbox', { name: 'Search commands' });
    expect(await search.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await search.inputValue()).toBe(''); // the slash itself is not typed

    await page.keyboard.type('mem');
    await expect.poll(cards).toEqual(['memory']);
    await search.fill('');
    await page.keyboard.type('nginx'); // tail-nginx by name, restart-web by description
    await expect.poll(cards).toEqual(['tail-nginx', 'restart-web']);
    expect((await groups()).map((g) => g.heading)).toEqual(['Logs', 'Services']);
    await search.fill('CACHED page'); // every word, any case, in the description
    await expect.poll(cards).toEqual(['flush-cache']);
    expect(await page.getByTestId('command-count').textContent()).toContain('1 of 8');
    await search.fill('no such thing');
    await expect.poll(cards).toEqual([]);
    await page.getByTestId('no-match').waitFor();
    await search.fill('up');
    await expect.poll(cards).toEqual(['uptime', 'checksum']); // "uploaded" in its description
    await screenshot(page, 'commands-search');
    await search.press('Escape');
    await expect.poll(cards).toHaveLength(8);
    expect(problems).toEqual([]);
  });

  it('runs a command without arguments in one click', async () => {
    await openCommands();
    await page.getByRole('button', { name: 'Run Say hello' }).click();
    await page.waitForURL(/\/runs\/[^/]+$/);
    await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
    await expect.poll(() => viewLines(page, 'output-view')).toEqual(['hello from one click']);
    // back on the list, the card shows how its last run went
    await openCommands();
    await page.locator('[data-command="hello"][data-last-status="SUCCEEDED"]').waitFor();
  });

  it('asks before a one-click run marked confirm: Esc and Cancel run nothing, Run now runs', async () => {
    await openCommands();
    const before = await runCount();
    const dialog = page.getByRole('dialog', { name: 'Flush every cached page now?' });
    await page.getByRole('button', { name: 'Run Flush the cache' }).click();
    await dialog.waitFor();
    // the safe choice has the focus, so Enter on a reflex changes nothing
    expect(
      await page.evaluate(() => (globalThis as any).document.activeElement?.textContent?.trim()),
    ).toBe('Cancel');
    await screenshot(page, 'commands-confirm', { fullPage: false });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Run Flush the cache' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(page.url()).toMatch(/\/commands$/);
    expect(await runCount()).toBe(before);

    await page.getByRole('button', { name: 'Run Flush the cache' }).click();
    await dialog.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/runs\/[^/]+$/);
    await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
    expect(await runCount()).toBe(before + 1);
  });

  it('the run form of a confirm command asks, showing the arguments it will run with', async () => {
    await page.goto('/commands/restart-web');
    await page.getByRole('heading', { level: 1, name: 'Restart the web server' }).waitFor();
    await page.getByLabel('service', { exact: true }).selectOption('caddy');
    const before = await runCount();
    await page.getByRole('button', { name: 'Run…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run Restart the web server?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('With service = caddy.');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await runCount()).toBe(before);
    await page.getByRole('button', { name: 'Run…' }).click();
    await dialog.getByRole('button', { name: 'Run now' }).click();
    await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
    await expect.poll(() => viewLines(page, 'output-view')).toEqual(['restarted caddy']);
  });

  it('uploads a FILE argument in place from the run form, selects it and runs with it', async () => {
    await page.goto('/commands/checksum');
    await page.getByRole('heading', { level: 1, name: 'Checksum a file' }).waitFor();
    await page.getByLabel('Upload a file for upload').setInputFiles({
      name: 'notes for checksum.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello\n'),
    });
    await page.locator('[data-testid="upload-item"][data-state="done"]').waitFor();
    const select = page.getByLabel('upload', { exact: true });
    await expect.poll(() => select.inputValue()).not.toBe('');
    const chosen = await select.evaluate((s: any) => s.selectedOptions[0].textContent);
    expect(chosen).toContain('notes for checksum.txt');
    // it is a normal stored file, listed on the Files page
    const admin = await e.server.login();
    const files = await e.server.gql(`{ files { edges { node { id name } } } }`, {}, admin);
    expect(files.data.files.edges.map((f: any) => f.node)).toContainEqual({
      id: await select.inputValue(),
      name: 'notes for checksum.txt',
    });
    await screenshot(page, 'commands-upload');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
    // sha256("hello\n")
    await expect
      .poll(async () => (await viewLines(page, 'output-view'))[0] ?? '')
      .toMatch(/^5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03 /);
    expect(problems).toEqual([]);
  });

  it('looks right dark and on a phone: nothing scrolls sideways at 390 px', async () => {
    const dark = await (await e.context({ colorScheme: 'dark' })).newPage();
    await signIn(dark);
    await dark.goto('/commands');
    await dark.getByTestId('command-card').first().waitFor();
    await screenshot(dark, 'commands-dark');
    await dark.getByRole('button', { name: 'Run Flush the cache' }).click();
    await dark.getByRole('dialog').waitFor();
    await screenshot(dark, 'commands-confirm-dark', { fullPage: false });

    const phoneCtx = await e.context({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const phone = await phoneCtx.newPage();
    await signIn(phone);
    await phone.goto('/commands');
    await phone.getByTestId('command-card').first().waitFor();
    const width = () =>
      phone.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);
    expect(await width()).toBeLessThanOrEqual(390);
    await screenshot(phone, 'commands-phone');
    await phone.getByRole('button', { name: 'Run Flush the cache' }).click();
    await phone.getByRole('dialog').waitFor();
    expect(await width()).toBeLessThanOrEqual(390);
    await screenshot(phone, 'commands-confirm-phone', { fullPage: false });
    await phone.goto('/commands/checksum');
    await phone.getByLabel('upload', { exact: true }).waitFor();
    expect(await width()).toBeLessThanOrEqual(390);
    expect(phoneCtx.problems).toEqual([]);
  });
});
