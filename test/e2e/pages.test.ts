// A tour of every main page in light and dark mode and on a phone, with some data on each: a
// screenshot of each goes to test-artifacts/screenshots/ (CI keeps that folder as an artifact).
// Each page must load without an uncaught error or console error, keep its text readable
// (contrast) and not scroll sideways.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { navTo, screenshot, signIn, startE2E, type E2E } from './browser.js';

const NODE = process.execPath;
// coloured output and a line on stderr, like a real tool's
const COLOURS = [
  "const e='\\\\x1b[';",
  "console.log(e+'1mBuild report'+e+'0m');",
  "for(let i=1;i<=12;i++)console.log(e+'32m✔'+e+'0m step '+i+' '+e+'2m('+i*37+' ms)'+e+'0m');",
  "console.log(e+'33mwarning:'+e+'0m 2 files skipped');",
  "console.error('error: disk /dev/sdb1 is 91% full');",
  "console.log(e+'36mdone'+e+'0m in 1.2 s');",
].join('');

const AGENT = `
commands:
  - name: build-report
    title: Build report
    description: Prints a coloured report, with one line on stderr
    argv: ["${NODE}", "-e", "${COLOURS}"]
    roles: [admin, user]
  - name: count
    title: Count slowly
    description: Numbered lines, one every gap milliseconds
    argv: ["${NODE}", "-e", "const [n,g]=process.argv.slice(1);let i=0;const t=setInterval(()=>{console.log('line '+(++i));if(i>=+n)clearInterval(t)},+g)", "{{lines}}", "{{gap}}", "{{mode}}", "{{verbose}}"]
    args:
      - { name: lines, type: int, min: 1, max: 1000, default: 10, description: How many lines }
      - { name: gap, type: int, min: 1, max: 5000, default: 100, description: Milliseconds between lines }
      - { name: mode, type: enum, choices: [fast, slow], default: fast }
      - { name: verbose, type: boolean, default: "false" }
    roles: [admin, user]
  - name: fail
    title: Always fails
    argv: ["sh", "-c", "echo trying; exit 3"]
  - name: wait
    title: Wait a long time
    description: Sleeps for five minutes; cancel it
    argv: ["sleep", "300"]
logs:
  - name: app
    path: app.log
    roles: [admin, user]
  - name: audit
    path: audit.log
    roles: [admin]
`;

let e: E2E;
let waitRun = '';
let reportRun = '';

const RUN = `mutation($name: String!, $args: [CommandArgInput!]) { runCommand(name: $name, args: $args) { id } }`;

beforeAll(async () => {
  e = await startE2E(AGENT);
  const s = e.server;
  const now = Date.now();
  const at = (i: number) => new Date(now - (40 - i) * 61_000).toISOString();
  const lines = [
    'plain text line: service starting',
    JSON.stringify({ time: at(1), level: 'info', msg: 'listening', port: 8080 }),
    JSON.stringify({
      time: at(2),
      level: 'warn',
      msg: 'slow request',
      path: '/api/items',
      ms: 1840,
    }),
    'ERROR connection to db-1 refused (retrying in 5 s)',
    JSON.stringify({ time: at(3), level: 'error', msg: 'payment failed', order: 'A-1042' }),
    ...Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({
        time: at(4 + i),
        level: 'info',
        msg: 'request',
        path: `/api/items/${i}`,
        status: 200,
      }),
    ),
  ];
  writeFileSync(path.join(s.dir, 'app.log'), lines.map((l) => `${l}\n`).join(''));
  writeFileSync(path.join(s.dir, 'audit.log'), 'admin signed in\n');

  const admin = await s.login();
  await s.createUser('carol', 'USER');
  await s.createUser('dave', 'ADMIN');
  const r1 = await s.gql(RUN, { name: 'build-report' }, admin);
  reportRun = r1.data.runCommand.id;
  await s.gql(RUN, { name: 'fail' }, admin);
  await s.gql(
    RUN,
    {
      name: 'count',
      args: [
        { name: 'lines', value: '3' },
        { name: 'gap', value: '10' },
      ],
    },
    admin,
  );
  waitRun = (await s.gql(RUN, { name: 'wait' }, admin)).data.runCommand.id;
  expect(
    (
      await s.upload(
        { name: 'notes.txt', content: 'some notes\n'.repeat(200), type: 'text/plain' },
        admin,
      )
    ).errors,
  ).toBeUndefined();
  expect(
    (
      await s.upload(
        { name: 'report-2026-11.csv', content: 'a,b,c\n1,2,3\n', type: 'text/csv' },
        admin,
      )
    ).errors,
  ).toBeUndefined();
  // the finished runs have ended before the tour starts
  for (let i = 0; i < 100; i++) {
    const r = await s.gql(
      `{ commandRuns(first: 10, status: RUNNING) { edges { node { id } } } }`,
      {},
      admin,
    );
    if (r.data.commandRuns.edges.length === 1) break;
    await new Promise((res) => setTimeout(res, 100));
  }
}, 180_000); // the first file to start may build web/dist
afterAll(async () => {
  if (waitRun && e)
    await e.server.gql(
      `mutation($id: ID!) { cancelCommandRun(id: $id) { id } }`,
      { id: waitRun },
      await e.server.login(),
    );
  await e?.close();
});

type Rgb = [number, number, number, number];
const parse = (c: string): Rgb => {
  const m = c.match(/[\d.]+/g)!.map(Number);
  return [m[0], m[1], m[2], m[3] ?? 1];
};
const lum = ([r, g, b]: Rgb) => {
  const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const contrast = (a: Rgb, b: Rgb) => {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

/** Contrast of the page's body text, a heading and muted text against the page background. */
async function readable(page: Page, what: string) {
  const colours = await page.evaluate(() => {
    const w = globalThis as any;
    const css = (el: any) => w.getComputedStyle(el);
    const bg = css(w.document.documentElement).backgroundColor;
    const muted = w.document.querySelector('main .muted');
    return {
      bg,
      text: css(w.document.body).color,
      h1: css(w.document.querySelector('h1')).color,
      muted: muted ? css(muted).color : null,
    };
  });
  const bg = parse(colours.bg);
  expect(bg[3], `${what}: the page has a background`).toBe(1);
  expect(contrast(parse(colours.text), bg), `${what}: body text`).toBeGreaterThanOrEqual(7);
  expect(contrast(parse(colours.h1), bg), `${what}: heading`).toBeGreaterThanOrEqual(7);
  if (colours.muted)
    expect(contrast(parse(colours.muted), bg), `${what}: muted text`).toBeGreaterThanOrEqual(4.5);
}

async function noSidewaysScroll(page: Page, what: string) {
  const [scroll, client] = await page.evaluate(() => {
    const d = (globalThis as any).document.documentElement;
    return [d.scrollWidth, d.clientWidth];
  });
  expect(scroll, `${what} scrolls sideways`).toBeLessThanOrEqual(client);
}

/** Waits for the page to settle (lazy chunk, first data), then checks and photographs it. */
async function shot(page: Page, name: string, problems: string[]) {
  // the callers wait for the page's own content; this lets fonts and the last frame settle
  await page.evaluate(async () => {
    const w = globalThis as any;
    await w.document.fonts.ready;
    await new Promise((r) => w.requestAnimationFrame(() => w.requestAnimationFrame(r)));
  });
  await readable(page, name);
  await noSidewaysScroll(page, name);
  expect(problems, name).toEqual([]);
  await screenshot(page, name);
}

describe('page tour', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`every main page renders cleanly in ${scheme} mode`, async () => {
      const ctx = await e.context({ colorScheme: scheme });
      const page = await ctx.newPage();
      const p = ctx.problems;
      await page.goto('/');
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill('wrong-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('signin-error').waitFor();
      await shot(page, `${scheme}-01-sign-in`, p);
      await signIn(page);

      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await expect.poll(() => page.getByTestId('running-count').textContent()).toBe('(1)');
      await shot(page, `${scheme}-02-dashboard`, p);

      await navTo(page, 'Commands');
      await page.getByTestId('command-card').first().waitFor();
      await shot(page, `${scheme}-03-commands`, p);

      await page.getByRole('link', { name: 'Run Count slowly' }).click();
      await page.getByRole('heading', { level: 1, name: 'Count slowly' }).waitFor();
      await page.getByLabel('lines', { exact: true }).fill('0');
      await page.getByRole('button', { name: 'Run' }).click(); // out of range: the field says so
      await page.locator('[aria-invalid="true"]').first().waitFor();
      await shot(page, `${scheme}-04-command-form`, p);

      await page.goto(`/runs/${reportRun}`);
      await page
        .locator('[data-testid="stream-status"][data-state="ended"]')
        .waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('output-view').getAttribute('data-line-count')).toBe('16');
      expect(await page.locator('[data-testid="output-line"][data-stderr]').count()).toBe(1);
      await shot(page, `${scheme}-05-run-output`, p);

      await page.goto(`/runs/${waitRun}`);
      await page.getByRole('button', { name: 'Cancel run' }).waitFor();
      await page
        .locator('[data-testid="stream-status"][data-state="live"]')
        .waitFor({ timeout: 10_000 });
      await shot(page, `${scheme}-06-run-running`, p);

      await navTo(page, 'History');
      await expect.poll(() => page.getByTestId('run-row').count()).toBe(4);
      await shot(page, `${scheme}-07-history`, p);

      await navTo(page, 'Logs');
      await page
        .locator('[data-testid="log-status"][data-state="live"]')
        .waitFor({ timeout: 10_000 });
      await expect
        .poll(() => page.getByTestId('log-view').getAttribute('data-line-count'))
        .toBe('35');
      // scrolled to the top so the error and warning rows are in the picture
      await page.getByTestId('log-view').evaluate((v: any) => (v.scrollTop = 0));
      await page.getByTestId('log-line').filter({ hasText: 'payment failed' }).waitFor();
      await shot(page, `${scheme}-08-logs`, p);

      await navTo(page, 'Files');
      await page.getByTestId('file-row').filter({ hasText: 'notes.txt' }).waitFor();
      const before = await page.getByTestId('file-row').count();
      await page.getByLabel('Choose files to upload').setInputFiles({
        name: `${scheme}-upload.txt`,
        mimeType: 'text/plain',
        buffer: Buffer.from('hello\n'),
      });
      await page
        .locator('[data-testid="upload-item"][data-state="done"]')
        .waitFor({ timeout: 15_000 });
      await expect.poll(() => page.getByTestId('file-row').count()).toBe(before + 1);
      await shot(page, `${scheme}-09-files`, p);

      await navTo(page, 'Users');
      await expect.poll(() => page.getByTestId('user-row').count()).toBe(3);
      await shot(page, `${scheme}-10-users`, p);

      await navTo(page, 'Account');
      await page.getByLabel('Token name').fill(`${scheme} deploy script`);
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByTestId('token-secret').waitFor();
      await page
        .getByTestId('token-row')
        .filter({ hasText: `${scheme} deploy script` })
        .waitFor();
      await shot(page, `${scheme}-11-account-tokens`, p);

      await navTo(page, 'Audit');
      await page
        .getByTestId('audit-row')
        .filter({ hasText: `${scheme} deploy script` })
        .first()
        .waitFor();
      await shot(page, `${scheme}-12-audit`, p);
      await ctx.close();
    }, 90_000);
  }

  it('every page and the menu fit a phone (390×844)', async () => {
    const ctx = await e.context({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto(`/runs/${reportRun}`);
    await page
      .locator('[data-testid="stream-status"][data-state="ended"]')
      .waitFor({ timeout: 15_000 });
    await shot(page, 'phone-run-output', ctx.problems);
    // the nav folds behind "Menu"
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.isVisible()).toBe(true);
    expect(
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'History' })
        .isVisible(),
    ).toBe(false);
    await menu.click();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'History' })
      .waitFor();
    await screenshot(page, 'phone-menu-open', { fullPage: false });
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'History' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
    await shot(page, 'phone-history', ctx.problems);
    await menu.click();
    await navTo(page, 'Logs');
    await page
      .locator('[data-testid="log-status"][data-state="live"]')
      .waitFor({ timeout: 10_000 });
    await shot(page, 'phone-logs', ctx.problems);
    // every other page too, as cards where the desktop has tables
    for (const [path, heading, ready] of [
      ['/', 'Dashboard', 'running-count'],
      ['/commands', 'Commands', 'command-card'],
      ['/files', 'Files', 'file-row'],
      ['/users', 'Users', 'user-row'],
      ['/account', 'Account', 'token-row'],
      ['/audit', 'Audit', 'audit-row'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByTestId(ready).first().waitFor();
      await shot(page, `phone-${heading.toLowerCase()}`, ctx.problems);
    }
    expect(ctx.problems).toEqual([]);
  }, 90_000);
});
