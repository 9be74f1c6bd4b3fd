import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTIONS,
  detailText,
  filtersFromQuery,
  localToIso,
  shortTarget,
} from './audit.filters';

describe('filtersFromQuery', () => {
  it('reads action, actor and a local time range; the range ends at the end of its minute', () => {
    const f = filtersFromQuery(
      new URLSearchParams(
        'action=RUN_STARTED&actor=u-1&since=2031-01-02T03:04&until=2031-01-02T05:06',
      ),
    );
    expect(f.action).toBe('RUN_STARTED');
    expect(f.actor).toBe('u-1');
    expect(f.since).toBe(new Date(2031, 0, 2, 3, 4).toISOString());
    expect(Date.parse(f.until!) - new Date(2031, 0, 2, 5, 6).getTime()).toBe(59_999);
  });

  it('leaves out what it does not understand', () => {
    expect(
      filtersFromQuery(
        new URLSearchParams('action=DROP_TABLE&since=yesterday&until=2031-13-99T99:99'),
      ),
    ).toEqual({ action: null, actor: null, since: null, until: null });
    expect(localToIso('')).toBeNull();
  });

  it('knows every action once', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    expect(AUDIT_ACTIONS).toContain('FILE_DOWNLOADED');
  });
});

describe('detailText', () => {
  it('shows a JSON object as key: value pairs, argv as words (quoted only where needed)', () => {
    expect(detailText('{"command":"greet","argv":["echo","hello","a b"]}')).toBe(
      'command: greet · argv: echo hello "a b"',
    );
    expect(detailText('{"size":18,"ok":true}')).toBe('size: 18 · ok: true');
  });

  it('shows anything else as it is', () => {
    expect(detailText(null)).toBe('');
    expect(detailText('not json')).toBe('not json');
    expect(detailText('[1,2]')).toBe('[1,2]');
  });
});

describe('shortTarget', () => {
  it('shortens an id to its first 8 characters and leaves a path or name whole', () => {
    expect(shortTarget('7942de9c-ad16-4521-8b61-6cb8e13c32bc')).toBe('7942de9c');
    expect(shortTarget('/etc/tiny-agent/agent.yaml')).toBe('/etc/tiny-agent/agent.yaml');
    expect(shortTarget(null)).toBe('');
  });
});
