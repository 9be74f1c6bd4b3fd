// Shared pieces of the end-to-end tests: Debian's Chromium driven by playwright-core against the
// real server (api/src/test/harness.ts), which serves the built UI from web/dist.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { startServer, type TestServer } from '../../api/src/test/harness.js';
import { startNginx, type RunningNginx } from '../deploy/tools.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');
const WEB = path.join(ROOT, 'web');
const DIST_INDEX = path.join(WEB, 'dist', 'index.html');

export const ADMIN_PASSWORD = 'admin-password-1';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Newest modification time of the files the web build reads. */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  walk(path.join(WEB, 'src'));
  for (const f of [
    'index.html',
    'graphiql.html',
    'vite.config.ts',
    'svelte.config.js',
    'package.json',
  ]) {
    const p = path.join(WEB, f);
    if (existsSync(p)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds web/dist (`npm run build -w web`) when it is missing or older than web/src, so the tests
 * never run against a stale UI. Test files run in parallel: a lock directory lets one build while
 * the others wait for it.
 */
export async function ensureWebBuilt(): Promise<void> {
  const fresh = () => existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= newestSource();
  if (fresh()) return;
  const lock = path.join(ROOT, 'test-artifacts', '.web-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 150_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another test file is building; a lock older than 3 minutes is left over from a crash
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000)
          rmSync(lock, { recursive: true, force: true });
      } catch {}
      if (Date.now() > deadline) throw new Error(`waited 150 s for ${lock}`);
      await sleep(250);
    }
  }
  try {
    if (fresh()) return;
    const r = spawnSync('npm', ['run', 'build', '-w', 'web'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0 || !existsSync(DIST_INDEX))
      throw new Error(`npm run build -w web failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing. Install it with: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface E2E {
  server: TestServer;
  browser: Browser;
  /** where the browser goes: the server itself, or the proxy in front of it */
  url: string;
  proxy: TcpProxy | null;
  /** a fresh browser profile (cookies, storage) pointed at `url` */
  context(opts?: BrowserContextOptions): Promise<BrowserContext & { problems: string[] }>;
  close(): Promise<void>;
}

/**
 * The UI built, the real server started with this agent.yaml, and Chromium launched. Every page
 * opened in a context records uncaught errors and console errors in `context.problems`.
 * With `proxy: true` the browser talks to the server through a TCP proxy the test can cut.
 */
export async function startE2E(
  agentYaml: string,
  opts: { env?: Record<string, string>; proxy?: boolean } = {},
): Promise<E2E> {
  await ensureWebBuilt();
  const proxy = opts.proxy ? await tcpProxy() : null;
  // cookie-authenticated WebSockets are accepted only from the public origin: the proxy's, then
  const env = { ...(proxy ? { PUBLIC_ORIGIN: proxy.url } : {}), ...opts.env };
  // relative paths in agent.yaml (log files) are relative to its folder: the server's temp dir
  // the server and Chromium start side by side: neither waits on the other (~1 s a file)
  const [started, launched] = await Promise.allSettled([
    startServer(env, { agentYaml }),
    launchBrowser(),
  ]);
  if (started.status === 'rejected' || launched.status === 'rejected') {
    await proxy?.close();
    if (started.status === 'fulfilled') await started.value.stop();
    if (launched.status === 'fulfilled') await launched.value.close().catch(() => {});
    throw started.status === 'rejected'
      ? started.reason
      : (launched as PromiseRejectedResult).reason;
  }
  const server = started.value;
  const browser = launched.value;
  proxy?.setTarget(Number(new URL(server.url).port));
  const url = proxy?.url ?? server.url;
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    url,
    proxy,
    async context(ctxOpts = {}) {
      const ctx = (await browser.newContext({
        baseURL: url,
        viewport: { width: 1280, height: 800 },
        ...ctxOpts,
      })) as BrowserContext & { problems: string[] };
      ctx.problems = [];
      ctx.on('page', (page) => watchPage(page, ctx.problems));
      contexts.push(ctx);
      return ctx;
    },
    async close() {
      await Promise.allSettled(contexts.map((c) => c.close()));
      await browser.close().catch(() => {});
      await proxy?.close();
      await server.stop();
    },
  };
}

export interface TcpProxy {
  url: string;
  setTarget(port: number): void;
  /** connections accepted so far */
  readonly accepted: number;
  /**
   * Resets every open connection (both sides) and refuses new ones for `downMs`, like a network
   * that drops and comes back. Returns how many sockets (either side) were reset.
   */
  cut(downMs?: number): number;
  close(): Promise<void>;
}

/** A byte-for-byte TCP proxy on 127.0.0.1 whose connections the test can cut. */
export async function tcpProxy(): Promise<TcpProxy> {
  let target = 0;
  let downUntil = 0;
  let accepted = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (Date.now() < downUntil || !target) return void client.resetAndDestroy();
    accepted++;
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    setTarget: (p) => (target = p),
    get accepted() {
      return accepted;
    },
    cut(downMs = 0) {
      downUntil = Date.now() + downMs;
      const n = open.size;
      for (const s of [...open]) s.resetAndDestroy();
      return n;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}

function watchPage(page: Page, problems: string[]) {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // a failed resource's address is the message's location: it names what failed
    if (m.type() === 'error')
      problems.push(`console: ${m.text()}${m.location().url ? ` <${m.location().url}>` : ''}`);
  });
}

/** Signs in through the form and waits for the signed-in shell (the Main navigation). */
export async function signIn(
  page: Page,
  username = 'admin',
  password = ADMIN_PASSWORD,
): Promise<void> {
  if (!page.url().startsWith('http')) await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // attached rather than visible: on a phone the nav is folded behind "Menu"
  await page
    .getByRole('navigation', { name: 'Main', includeHidden: true })
    .waitFor({ state: 'attached' });
  await page
    .getByTestId('current-user')
    .filter({ hasText: username })
    .waitFor({ state: 'attached' });
}

/**
 * The usual start of a test file: a fresh browser context with one page, signed in as admin.
 * `problems` collects the page's uncaught and console errors; `permissions` are granted first.
 */
export async function signedInPage(
  e: E2E,
  opts: { permissions?: string[] } = {},
): Promise<{ page: Page; problems: string[] }> {
  const ctx = await e.context();
  if (opts.permissions) await ctx.grantPermissions(opts.permissions);
  const page = await ctx.newPage();
  await signIn(page);
  return { page, problems: ctx.problems };
}

/** Node, printing "<label> <i>" for i = 1..lines, one line every `gap` ms (argv: label lines gap). */
export const COUNT_SCRIPT =
  "const [l,n,g]=process.argv.slice(1);let i=0;const t=setInterval(()=>{console.log(l+' '+(++i));if(i>=+n)clearInterval(t)},+g)";

/** In-app navigation through the Main nav (no page load), waiting for the page's heading. */
export async function navTo(
  page: Page,
  link: string,
  heading: string | RegExp = link,
): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: link, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** A PNG of the page in test-artifacts/screenshots/<name>.png (full page unless told otherwise). */
export async function screenshot(
  page: Page,
  name: string,
  opts: { fullPage?: boolean } = {},
): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  // no blinking caret or running transition in the picture
  await page.screenshot({
    path: file,
    fullPage: opts.fullPage ?? true,
    animations: 'disabled',
    caret: 'hide',
  });
  return file;
}

/**
 * Every line of a virtualised view (`output-view`, `log-view`), in order. Only the rows in view
 * are in the DOM, so this scrolls the view from top to bottom and places each rendered row by its
 * offset in the spacer; then puts the scroll position back to the end.
 */
export async function viewLines(page: Page, testid: 'output-view' | 'log-view'): Promise<string[]> {
  return page.getByTestId(testid).evaluate(async (view: any) => {
    const count = Number(view.dataset.lineCount);
    const spacer = view.querySelector('.spacer');
    const rowSel =
      view.dataset.testid === 'output-view'
        ? '[data-testid="output-line"]'
        : '[data-testid="log-line"]';
    const lines: (string | undefined)[] = new Array(count);
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const rowHeight = 20;
    for (let top = 0; ; top += Math.max(rowHeight, view.clientHeight - rowHeight)) {
      view.scrollTop = top;
      view.dispatchEvent(new Event('scroll'));
      await frame();
      const base = spacer.getBoundingClientRect().top;
      for (const row of view.querySelectorAll(rowSel)) {
        const i = Math.round((row.getBoundingClientRect().top - base) / rowHeight);
        if (i >= 0 && i < count) lines[i] = row.textContent;
      }
      if (top + view.clientHeight >= view.scrollHeight) break;
    }
    view.scrollTop = view.scrollHeight;
    view.dispatchEvent(new Event('scroll'));
    const missing = lines.flatMap((l, i) => (l === undefined ? [i] : []));
    if (missing.length) throw new Error(`rows never rendered: ${missing.slice(0, 10).join(', ')}`);
    return lines as string[];
  });
}

/** Runs `command` as the admin and returns the run's id: a run for pages that show one. */
export async function runAsAdmin(e: E2E, command: string): Promise<string> {
  const admin = await e.server.login();
  const r = await e.server.gql(
    `mutation($name: String!) { runCommand(name: $name) { id } }`,
    { name: command },
    admin,
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.runCommand.id;
}

/** The shipped nginx (infra/nginx/templates) in front of this server, serving the built app. */
export function nginxInFront(e: E2E): Promise<RunningNginx> {
  return startNginx({
    upstream: new URL(e.server.url).host,
    webRoot: path.join(ROOT, 'web', 'dist'),
    uploadMaxBytes: 1024 * 1024,
  });
}
