import { describe, expect, it } from 'vitest';
import { parseLineTime } from './log.time.js';

const utc = (iso: string) => Date.parse(iso);
const local = (...a: [number, number, number, number, number, number, number?]) =>
  new Date(a[0], a[1] - 1, a[2], a[3], a[4], a[5], a[6] ?? 0).getTime();
const NOW = local(2026, 12, 7, 12, 0, 0);

describe('parseLineTime', () => {
  it('reads ISO-8601 / RFC 3339 with Z, offsets, fractions, and without a zone as local time', () => {
    expect(parseLineTime('2026-12-07T01:02:03.123Z info started')).toBe(
      utc('2026-12-07T01:02:03.123Z'),
    );
    expect(parseLineTime('2026-12-07T01:02:03+01:00 x')).toBe(utc('2026-12-07T00:02:03Z'));
    expect(parseLineTime('2026-12-07T01:02:03.123456789-0530 x')).toBe(
      utc('2026-12-07T06:32:03.123Z'),
    );
    expect(parseLineTime('2026-12-07 01:02:03,123 WARNING x')).toBe(
      local(2026, 12, 7, 1, 2, 3, 123),
    );
    expect(parseLineTime('2026-12-07 01:02 short')).toBe(local(2026, 12, 7, 1, 2, 0));
    expect(parseLineTime('[2026-12-07 01:02:03] production.ERROR')).toBe(
      local(2026, 12, 7, 1, 2, 3),
    );
    expect(parseLineTime('<34>1 2026-12-07T01:02:03.5Z host app - - msg')).toBe(
      utc('2026-12-07T01:02:03.500Z'),
    );
  });

  it('reads syslog and journald short / short-precise in local time, inferring the year', () => {
    const ctx = { now: NOW };
    expect(parseLineTime('Dec  7 01:02:03 host sshd[1]: x', ctx)).toBe(local(2026, 12, 7, 1, 2, 3));
    expect(parseLineTime('Dec 07 01:02:03 host systemd[1]: x', ctx)).toBe(
      local(2026, 12, 7, 1, 2, 3),
    );
    expect(parseLineTime('Dec 07 01:02:03.654321 host kernel: x', ctx)).toBe(
      local(2026, 12, 7, 1, 2, 3, 654),
    );
    // a December line read in January is last year's
    const january = { now: local(2027, 1, 2, 9, 0, 0) };
    expect(parseLineTime('Dec 31 23:59:59 host x', january)).toBe(local(2026, 12, 31, 23, 59, 59));
    expect(parseLineTime('Jan  2 08:00:00 host x', january)).toBe(local(2027, 1, 2, 8, 0, 0));
  });

  it('reads journald short-iso', () => {
    expect(parseLineTime('2026-12-07T01:02:03+0100 host app[7]: x')).toBe(
      utc('2026-12-07T00:02:03Z'),
    );
  });

  it('reads the nginx/Apache access log time after the client address', () => {
    const line =
      '2001:db8::1 - alice [07/Dec/2026:01:02:03 +0200] "GET /a HTTP/1.1" 200 12 "-" "curl"';
    expect(parseLineTime(line)).toBe(utc('2026-12-06T23:02:03Z'));
    expect(parseLineTime('10.0.0.1 - - [07/Dec/2026:01:02:03 -0000] "GET /"')).toBe(
      utc('2026-12-07T01:02:03Z'),
    );
  });

  it('answers null for lines without a leading time, and for impossible dates', () => {
    for (const text of [
      '',
      '    at Object.<anonymous> (/app/x.js:1:1)',
      'Traceback (most recent call last):',
      '2026-13-07T01:02:03Z month 13',
      '2026-02-30 01:02:03 no 30 February',
      '2026-12-07T25:02:03Z',
      'Dex  7 01:02:03 host',
      '12345',
      '{"msg":"a JSON line without a time field"}',
      `${'x'.repeat(130)} [07/Dec/2026:01:02:03 +0000]`,
      'x [07/Dec/2026:01:02:03 +9900]',
      'id 42 took 2026-12-07T01:02:03Z', // not at the start
    ]) {
      expect(parseLineTime(text, { now: NOW }), text).toBeNull();
    }
  });

  it('reads a JSON line by its time field', () => {
    expect(parseLineTime('{"time":"2026-12-07T01:02:03Z","msg":"up"}')).toBe(
      Date.UTC(2026, 11, 7, 1, 2, 3),
    );
    expect(parseLineTime('{"level":30,"time":1796000000123,"msg":"up"}')).toBe(1796000000123);
  });
});
