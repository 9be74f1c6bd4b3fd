import { describe, expect, it } from 'vitest';
import type { LogEvent } from './log.event.js';
import { mergeHistories } from './log.merge-order.js';

const line = (text: string): LogEvent => ({
  kind: 'LINE',
  text,
  truncated: false,
  cursor: { ino: 1, offset: 0 },
});
const merge = (...lists: string[][]) =>
  mergeHistories(
    lists.map((l) => l.map(line)),
    (e) => e,
  ).map((e) => (e.kind === 'LINE' ? e.text : e.kind));

describe('mergeHistories', () => {
  it('orders by time across sources, keeps untimed lines after their predecessor', () => {
    expect(
      merge(
        ['2024-01-01T00:00:02Z b', 'b cont', '2024-01-01T00:00:04Z d'],
        ['2024-01-01 00:00:01.5 a', '2024-01-01T01:00:03+01:00 c'],
      ),
    ).toEqual([
      '2024-01-01 00:00:01.5 a',
      '2024-01-01T00:00:02Z b',
      'b cont',
      '2024-01-01T01:00:03+01:00 c',
      '2024-01-01T00:00:04Z d',
    ]);
  });

  it('without times, keeps source order; each source stays in its own order', () => {
    expect(merge(['x2', 'x1'], ['y1'], [])).toEqual(['x2', 'x1', 'y1']);
    expect(
      merge(
        ['2024-01-01T00:00:09Z late', '2024-01-01T00:00:01Z early'],
        ['2024-01-01T00:00:05Z mid'],
      ),
    ).toEqual([
      '2024-01-01T00:00:05Z mid',
      '2024-01-01T00:00:09Z late',
      '2024-01-01T00:00:01Z early',
    ]);
  });

  it('orders syslog, access-log and JSON lines by their times too (log.time.ts)', () => {
    // syslog has no year and no zone: recent local instants, every line built from the same ones
    const base = Math.floor(Date.now() / 1000) * 1000 - 2 * 86_400_000;
    const t = (sec: number) => new Date(base + sec * 1000);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
    const mon = (d: Date, utc: boolean) => MONTHS[utc ? d.getUTCMonth() : d.getMonth()];
    const syslog = (d: Date, what: string) =>
      `${mon(d, false)} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} host app: ${what}`;
    const access = (d: Date) =>
      `10.0.0.1 - - [${p2(d.getUTCDate())}/${mon(d, true)}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000] "GET / HTTP/1.1" 200 1`;
    const json = `{"time":"${t(3).toISOString()}","msg":"json b"}`;
    expect(merge([syslog(t(1), 'sys a'), syslog(t(5), 'sys c')], [json], [access(t(0))])).toEqual([
      access(t(0)),
      syslog(t(1), 'sys a'),
      json,
      syslog(t(5), 'sys c'),
    ]);
  });
});
