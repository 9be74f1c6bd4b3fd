import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../errors.js';
import { compileFilter } from './log.filter.js';
import { bothFilters, compileWhere, InvalidWhereError } from './log.where.js';

const line = (o: object) => JSON.stringify(o);
const A = line({
  level: 50,
  time: 1765000000000,
  msg: 'connection reset by peer',
  status: 503,
  req: { method: 'GET', url: '/a b' },
});
const B = line({ level: 30, msg: 'ok', status: '200', req: { method: 'POST' } });
const C = line({ level: 'WARNING', msg: 'slow', status: 99 });
const all = [A, B, C, 'status=503 level=error plain text', '{"cut":'];
const matching = (where: string) => all.filter(compileWhere(where)!).map((t) => all.indexOf(t));

describe('compileWhere', () => {
  it('is null when empty', () => {
    expect(compileWhere('')).toBeNull();
    expect(compileWhere('   ')).toBeNull();
    expect(compileWhere(null)).toBeNull();
  });

  it.each([
    ['level=error', [0]],
    ['level=ERR', [0]],
    ['level>=warn', [0, 2]],
    ['level<warn', [1]],
    ['level!=info', [0, 2]],
    ['status>=500', [0]],
    ['status>=100', [0, 1]], // numbers as numbers: "99" < 100 although "99" > "100" as text
    ['status!=200', [0, 2]],
    ['status<200', [2]],
    ['msg~reset', [0]],
    ['message~o', [0, 1, 2]],
    ['msg~"connection reset"', [0]],
    ['req.method=GET', [0]],
    ['req.url="/a b"', [0]],
    ['req.method=GET status>=500 level=error', [0]],
    ['req.method=GET status<500', []],
    ['missing!=1', []], // a field that is not there fails every condition
    ['time>=2025-12-06T05:00:00Z', [0]], // time as ISO text
  ])('%s matches lines %j (never the plain-text one)', (where, expected) => {
    expect(matching(where)).toEqual(expected);
  });

  it('sees a value spelled with a JSON escape (the pre-check lets \\u lines through)', () => {
    const escaped = '{"req":{"method":"G\\u0045T"}}';
    expect(compileWhere('req.method=GET')!(escaped)).toBe(true);
    expect(compileWhere('req.method=GET')!('{"req":{"method":"PUT"}}')).toBe(false);
  });

  it.each([
    ['status', /operator \(= != > >= < <= ~\) after "status" at character 1/],
    ['level=error status>=', /expected a value after "status>=" at character 13 \(status>=\)/],
    ['msg~"open', /quoted value is not closed at character 5 \("open\)/],
    ['a=1 b', /expected an operator .* after "b" at character 5/],
    ['a="x"b=2', /space between conditions at character 6 \(b=2\)/],
    ['=5', /expected a field name at character 1 \(=5\)/],
    ['level>=loud', /compare levels with one of trace, debug, info, warn, error, fatal/],
    ['x'.repeat(501), /at most 500 characters/],
    [Array.from({ length: 11 }, (_, i) => `f${i}=1`).join(' '), /at most 10 conditions/],
  ])('refuses %j as BAD_USER_INPUT pointing at the bad part', (where, message) => {
    let caught: unknown;
    try {
      compileWhere(where);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidWhereError);
    expect(caught).toBeInstanceOf(BadUserInputError);
    expect((caught as Error).message).toMatch(message);
  });

  it('combines with filter: both must hold, the text filter keeps its properties', () => {
    const text = Object.assign(compileFilter('reset')!, { searcher: 'kept' });
    const both = bothFilters(text, compileWhere('status>=500'))!;
    expect(all.filter(both)).toEqual([A]);
    expect((both as unknown as { searcher: string }).searcher).toBe('kept');
    expect(bothFilters(null, null)).toBeNull();
    expect(bothFilters(text, null)).toBe(text);
  });
});
