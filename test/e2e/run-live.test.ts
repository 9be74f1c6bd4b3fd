// Issue 19 item 11 on the run page: the byte counter counts while output streams, and a run that
// has ended says "Complete" straight away (no resubscribe after the end, no "Live" afterwards).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { COUNT_SCRIPT, signedInPage, startE2E, type E2E } from './browser.js';

const NODE = process.execPath;

const AGENT = `
commands:
  - name: count
    title: Count slowly
    argv: ${JSON.stringify([NODE, '-e', COUNT_SCRIPT, '--', '{{label}}', '{{lines}}', '{{gap}}'])}
    args:
      - { name: label, type: string, maxLength: 40 }
      - { name: lines, type: int, min: 1, max: 1000 }
      - { name: gap, type: int, min: 1, max: 1000 }
    maxConcurrent: 4
logs: []
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

async function startCount(label: string, lines: number, gap: number): Promise<string> {
  const r = await e.server.gql(
    `mutation($a: [CommandArgInput!]) { runCommand(name: "count", args: $a) { id } }`,
    {
      a: [
        { name: 'label', value: label },
        { name: 'lines', value: String(lines) },
        { name: 'gap', value: String(gap) },
      ],
    },
    admin,
  );
  return r.data.runCommand.id;
}

const lineCount = () =>
  page.getByTestId('output-view').getAttribute('data-line-count').then(Number);
const bytesShown = () => page.locator('dt:text-is("Output") + dd').textContent();
const runStatus = () => page.getByTestId('run-status').getAttribute('data-status');

describe('run page while output streams', () => {
  it('counts output bytes as they arrive, not only when the run ends', async () => {
    const id = await startCount('line', 150, 60); // about 9 s
    await page.goto(`/runs/${id}`);
    await expect.poll(lineCount, { timeout: 10_000 }).toBeGreaterThanOrEqual(30);
    // "line 1\n" … "line 9\n" are 7 bytes, later ones 8: at least what is on screen is counted
    const onScreen = 9 * 7 + ((await lineCount()) - 9) * 8;
    await expect
      .poll(async () => Number((await bytesShown())?.replace(/\D/g, '')), { timeout: 2_000 })
      .toBeGreaterThanOrEqual(onScreen);
    expect(await runStatus()).toBe('RUNNING');
    await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
    // the final figure is the server's: 9 × 7 + 90 × 8 + 51 × 9 = 1,242 bytes
    await expect.poll(bytesShown).toBe('1.2 KB');
    expect(problems).toEqual([]);
  }, 60_000);

  it('goes from Live to Complete once when the run ends, never back to Live or reconnecting', async () => {
    // the commandOutput subscriptions the page opens, counted from its socket frames
    let subscribes = 0;
    page.on('websocket', (ws) =>
      ws.on('framesent', (f) => {
        const m = JSON.parse(String(f.payload));
        if (m.type === 'subscribe' && /commandOutput/.test(m.payload.query)) subscribes++;
      }),
    );
    for (let round = 0; round < 3; round++) {
      const id = await startCount('r', 30, 100);
      await page.goto(`/runs/${id}`);
      await page.locator('[data-testid="stream-status"][data-state="live"]').waitFor();
      // every state the stream shows from here on
      await page.getByTestId('stream-status').evaluate((el: any) => {
        const seen: string[] = [el.dataset.state];
        (globalThis as any).__streamStates = seen;
        new (globalThis as any).MutationObserver(() => {
          if (seen[seen.length - 1] !== el.dataset.state) seen.push(el.dataset.state);
        }).observe(el, { attributes: true, attributeFilter: ['data-state'] });
      });
      await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
      await page.locator('[data-testid="stream-status"][data-state="ended"]').waitFor();
      expect(await page.getByTestId('stream-status').textContent()).toContain('Complete');
      await expect.poll(lineCount).toBe(30);
      const states = await page.evaluate(() => (globalThis as any).__streamStates);
      expect(states).toEqual(['live', 'ended']);
      // one subscription saw the whole run: none reopened after the end (each held "Live" for
      // its backoff delay while the run was already over)
      expect(subscribes).toBe(1);
      subscribes = 0;
    }
    expect(problems).toEqual([]);
  }, 90_000);
});
