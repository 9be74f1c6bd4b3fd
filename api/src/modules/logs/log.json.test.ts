import { describe, expect, it, vi } from 'vitest';
import { jsonLine, jsonLineTime, MAX_FIELDS, MAX_VALUE_CHARS, parseJsonLine } from './log.json.js';

describe('parseJsonLine', () => {
  it('reads a pino line: number level, epoch-ms time, msg, the rest as fields', () => {
    const line = parseJsonLine(
      '{"level":50,"time":1765000000123,"pid":7,"hostname":"box","msg":"boom","err":{"type":"Error","code":"E1"}}',
    );
    expect(line).toEqual({
      level: 'error',
      time: 1765000000123,
      message: 'boom',
      fields: [
        { name: 'pid', value: '7' },
        { name: 'hostname', value: 'box' },
        { name: 'err.type', value: 'Error' },
        { name: 'err.code', value: 'E1' },
      ],
    });
  });

  it.each([
    [10, 'trace'],
    [20, 'debug'],
    [30, 'info'],
    [40, 'warn'],
    [50, 'error'],
    [60, 'fatal'],
    [35, 'info'],
    ['WARNING', 'warn'],
    ['Err', 'error'],
    ['critical', 'fatal'],
    ['verbose', 'verbose'],
  ])('maps level %j to %s', (level, name) => {
    expect(parseJsonLine(JSON.stringify({ level }))!.level).toBe(name);
  });

  it('takes level from lvl or severity, message from message, time from ts, timestamp, @timestamp', () => {
    const iso = '2026-12-07T01:02:03.456Z';
    const ms = Date.parse(iso);
    expect(parseJsonLine(`{"lvl":"info","ts":${ms / 1000},"message":"a"}`)).toMatchObject({
      level: 'info',
      time: ms,
      message: 'a',
      fields: [],
    });
    expect(parseJsonLine(`{"severity":"ERROR","timestamp":"${iso}"}`)).toMatchObject({
      level: 'error',
      time: ms,
    });
    expect(parseJsonLine(`{"@timestamp":"${iso}","msg":{"k":1}}`)).toMatchObject({
      time: ms,
      message: '{"k":1}',
    });
    // an unreadable time stays a field rather than vanishing
    expect(parseJsonLine('{"time":"yesterday","msg":"x"}')).toEqual({
      message: 'x',
      fields: [{ name: 'time', value: 'yesterday' }],
    });
  });

  it('keeps values as text: strings as they are, the rest as JSON', () => {
    const line = parseJsonLine(
      '{"s":"a \\"q\\"","n":1.5,"b":false,"z":null,"a":[1,"x"],"e":{},"d":{"e":{"f":2}}}',
    )!;
    expect(line.fields).toEqual([
      { name: 's', value: 'a "q"' },
      { name: 'n', value: '1.5' },
      { name: 'b', value: 'false' },
      { name: 'z', value: 'null' },
      { name: 'a', value: '[1,"x"]' },
      { name: 'e', value: '{}' },
      { name: 'd.e.f', value: '2' },
    ]);
  });

  it('is null for anything but one JSON object', () => {
    for (const text of [
      'plain text',
      '[1,2]',
      '"str"',
      '42',
      '{"cut":"off',
      '{} {}',
      '2026-12-07 {"a":1}',
      '',
    ])
      expect(parseJsonLine(text)).toBeNull();
    expect(parseJsonLine('  {"a":1}\r')).toEqual({ fields: [{ name: 'a', value: '1' }] });
  });

  it('bounds fields, value length and depth', () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]));
    expect(parseJsonLine(JSON.stringify(many))!.fields).toHaveLength(MAX_FIELDS);
    const long = parseJsonLine(JSON.stringify({ msg: 'x'.repeat(20000), v: 'y'.repeat(9000) }))!;
    expect(long.message).toHaveLength(MAX_VALUE_CHARS + 1);
    expect(long.fields[0]!.value).toHaveLength(MAX_VALUE_CHARS + 1);
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const [field] = parseJsonLine(JSON.stringify(deep))!.fields;
    expect(field!.name.split('.')).toHaveLength(9); // eight levels flattened, the rest kept as JSON
    expect(field!.value.startsWith('{"d":')).toBe(true);
  });

  it('jsonLineTime gives epoch ms or null', () => {
    expect(jsonLineTime('{"time":1765000000}')).toBe(1765000000000);
    expect(jsonLineTime('{"msg":"no time"}')).toBeNull();
    expect(jsonLineTime('2026-12-07T01:02:03Z text')).toBeNull();
  });

  it('jsonLine parses a line once however many callers share it', () => {
    const text = JSON.stringify({ msg: 'shared', n: Math.random() });
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const first = jsonLine(text);
      for (let i = 0; i < 50; i++) expect(jsonLine(text)).toBe(first);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });
});
