import { describe, expect, it } from 'vitest';
import { prefilledValues, runAgainHref } from './run.again';

describe('run again', () => {
  it('carries the arguments to the form and back, exactly', () => {
    const args = [
      { name: 'who', value: "it's me & you?=#" },
      { name: 'n', value: '3' },
    ];
    const href = runAgainHref('greet', args);
    expect(href).toMatch(/^\/commands\/greet\?arg\.who=/);
    const search = href.slice(href.indexOf('?'));
    expect(prefilledValues([{ name: 'who' }, { name: 'n' }, { name: 'x' }], search)).toEqual({
      who: "it's me & you?=#",
      n: '3',
    });
    expect(runAgainHref('greet', [])).toBe('/commands/greet');
  });

  it('ignores what the command does not declare', () => {
    expect(prefilledValues([{ name: 'a' }], '?arg.b=1&a=2&arg.a=ok')).toEqual({ a: 'ok' });
  });
});
