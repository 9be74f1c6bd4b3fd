import { describe, expect, it } from 'vitest';
import { argvText } from './run.status';

describe('argvText', () => {
  it('quotes only the elements that need it', () => {
    expect(argvText(['df', '-h', '--', '/var'])).toBe('df -h -- /var');
    expect(argvText(['echo', 'Hello, Ann!'])).toBe(`echo 'Hello, Ann!'`);
    expect(argvText(['echo', "it's"])).toBe(`echo 'it'\\''s'`);
    expect(argvText(['echo', ''])).toBe(`echo ''`);
  });
});
