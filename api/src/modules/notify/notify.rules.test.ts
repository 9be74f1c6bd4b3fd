// The pure rules of delivery: when a run's end is told, how long a retry waits, what an error may show.
import { describe, expect, it } from 'vitest';
import { backoffMs, MAX_ATTEMPTS, scrub } from './notifier.js';
import { wants } from './notify.run-end.js';

describe('notification rules', () => {
  it('failure covers FAILED, TIMED_OUT and INTERRUPTED; CANCELLED only under always', () => {
    const statuses = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'INTERRUPTED', 'CANCELLED'] as const;
    const told = (on: 'failure' | 'success' | 'always') => statuses.filter((s) => wants(on, s));
    expect(told('failure')).toEqual(['FAILED', 'TIMED_OUT', 'INTERRUPTED']);
    expect(told('success')).toEqual(['SUCCEEDED']);
    expect(told('always')).toEqual([...statuses]);
  });

  it('waits 10 s, 1 min, 5 min, 30 min, 2 h (±20 %) at the default base, then gives up', () => {
    const expected = [10, 60, 300, 1800, 7200];
    expect(MAX_ATTEMPTS).toBe(expected.length + 1);
    expected.forEach((seconds, i) => {
      for (let k = 0; k < 50; k++) {
        const ms = backoffMs(i + 1, 10);
        expect(ms).toBeGreaterThanOrEqual(seconds * 800);
        expect(ms).toBeLessThanOrEqual(seconds * 1200);
      }
    });
  });

  it('an error never shows the target’s URL path, query, token, password or header values', () => {
    const url =
      'https://user:pw-secret@hooks.example.org/services/T0/B1/abcdefsecret?token=q-secret';
    const webhook = {
      name: 'w',
      type: 'webhook' as const,
      url,
      headers: { Authorization: 'Bearer h-secret' },
    };
    const said = `HTTP 403 from hooks.example.org: denied ${url} /services/T0/B1/abcdefsecret?token=q-secret with Bearer h-secret`;
    const clean = scrub(said, webhook);
    for (const secret of ['pw-secret', 'abcdefsecret', 'q-secret', 'h-secret'])
      expect(clean).not.toContain(secret);
    expect(clean).toMatch(/^HTTP 403 from hooks\.example\.org: denied \*\*\*/);
    const smtp = {
      name: 'm',
      type: 'smtp' as const,
      host: 'h',
      port: 25,
      secure: false,
      password: 'smtp-pass',
      from: 'a@b.c',
      to: ['d@e.f'],
    };
    expect(scrub('535 auth failed for smtp-pass', smtp)).toBe('535 auth failed for ***');
  });
});
