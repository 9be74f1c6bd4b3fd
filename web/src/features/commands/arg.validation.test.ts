import { describe, expect, it } from 'vitest';
import { type ArgSpec, initialValues, validateArg, validateArgs } from './arg.validation';

const int: ArgSpec = {
  name: 'lines',
  type: 'INT',
  required: false,
  min: 1,
  max: 5000,
  default: '100',
};
const str: ArgSpec = {
  name: 'name',
  type: 'STRING',
  required: true,
  pattern: '[A-Za-z][A-Za-z0-9 _-]*',
};
const en: ArgSpec = {
  name: 'mount',
  type: 'ENUM',
  required: true,
  choices: ['/', '/var'],
  default: '/',
};
const bool: ArgSpec = { name: 'verbose', type: 'BOOLEAN', required: false };
const file: ArgSpec = { name: 'upload', type: 'FILE', required: true };

describe('argument validation', () => {
  it('starts from defaults, false for switches', () => {
    expect(initialValues([int, str, en, bool])).toEqual({
      lines: '100',
      name: '',
      mount: '/',
      verbose: 'false',
    });
  });

  it('starts from given values where there are some, dropping undeclared names', () => {
    expect(
      initialValues([int, str, bool], { lines: '7', verbose: 'true', name: '', other: 'x' }),
    ).toEqual({ lines: '7', name: '', verbose: 'true' });
  });

  it('checks ints: whole numbers within min and max', () => {
    expect(validateArg(int, '12')).toBeNull();
    expect(validateArg(int, '1.5')).toMatch(/whole number/);
    expect(validateArg(int, 'abc')).toMatch(/whole number/);
    expect(validateArg(int, '0')).toBe('Must be at least 1.');
    expect(validateArg(int, '5001')).toBe('Must be at most 5000.');
  });

  it('checks a string against its pattern as a full match', () => {
    expect(validateArg(str, 'Ann Lee')).toBeNull();
    expect(validateArg(str, '1ann')).toMatch(/pattern/);
    expect(validateArg(str, 'ann;rm -rf /')).toMatch(/pattern/);
    expect(validateArg({ ...str, pattern: 'a|b' }, 'ab')).toMatch(/pattern/);
  });

  it('skips a pattern JavaScript cannot compile rather than blocking the user', () => {
    expect(validateArg({ ...str, pattern: '(?<' }, 'x')).toBeNull();
  });

  it('checks enums and booleans', () => {
    expect(validateArg(en, '/etc')).toMatch(/Choose one of/);
    expect(validateArg(bool, 'true')).toBeNull();
    expect(validateArg(bool, 'yes')).toMatch(/true or false/);
  });

  it('requires required fields without a default', () => {
    expect(validateArg(str, '')).toBe('Required.');
    expect(validateArg(file, '')).toBe('Required.');
    expect(validateArg(en, '')).toBeNull();
  });

  it('collects every error and leaves empty optional fields out of the input', () => {
    expect(validateArgs([int, str], { lines: '0', name: '' }).errors).toEqual({
      lines: 'Must be at least 1.',
      name: 'Required.',
    });
    const ok = validateArgs([int, str, bool, file], {
      lines: ' 20 ',
      name: 'Ann',
      verbose: 'true',
      upload: 'f1',
    });
    expect(ok.errors).toEqual({});
    expect(ok.input).toEqual([
      { name: 'lines', value: '20' },
      { name: 'name', value: 'Ann' },
      { name: 'verbose', value: 'true' },
      { name: 'upload', value: 'f1' },
    ]);
    expect(validateArgs([int], { lines: '' }).input).toEqual([]);
  });
});
