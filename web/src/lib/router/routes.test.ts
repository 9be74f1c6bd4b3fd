import { describe, expect, it } from 'vitest';
import { internalPath, matchRoute } from './routes';

describe('matchRoute', () => {
  it('matches pages and their parameters', () => {
    expect(matchRoute('/')).toEqual({ name: 'dashboard', params: {} });
    expect(matchRoute('/commands/')).toEqual({ name: 'commands', params: {} });
    expect(matchRoute('/commands/disk-usage')).toEqual({
      name: 'command',
      params: { name: 'disk-usage' },
    });
    expect(matchRoute('/runs/r%2F1')).toEqual({ name: 'run', params: { id: 'r/1' } });
    expect(matchRoute('/runs/a/diff/b')).toEqual({
      name: 'run-diff',
      params: { id: 'a', otherId: 'b' },
    });
    expect(matchRoute('/runs/%E0%A4%A')).toEqual({ name: 'run', params: { id: '%E0%A4%A' } });
    expect(matchRoute('/audit')).toEqual({ name: 'audit', params: {} });
    expect(matchRoute('/nope').name).toBe('not-found');
  });
});

describe('internalPath', () => {
  const click = {
    button: 0,
    metaKey: false,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    defaultPrevented: false,
  };
  const a = (href: string, target = '', attrs: string[] = []) => ({
    href,
    target,
    hasAttribute: (n: string) => attrs.includes(n),
  });
  const origin = 'http://127.0.0.1:5000';

  it('routes plain same-origin links', () => {
    expect(internalPath(click, a(`${origin}/history?status=FAILED`), origin)).toBe(
      '/history?status=FAILED',
    );
  });

  it('leaves modified clicks, new tabs, downloads and server paths to the browser', () => {
    expect(internalPath({ ...click, ctrlKey: true }, a(`${origin}/logs`), origin)).toBeNull();
    expect(internalPath(click, a(`${origin}/logs`, '_blank'), origin)).toBeNull();
    expect(internalPath(click, a(`${origin}/files/42`, '', ['download']), origin)).toBeNull();
    expect(internalPath(click, a(`${origin}/files/42`), origin)).toBeNull();
    expect(internalPath(click, a(`${origin}/graphql`), origin)).toBeNull();
    expect(internalPath(click, a('https://example.com/'), origin)).toBeNull();
  });
});
