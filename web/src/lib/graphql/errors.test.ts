import { describe, expect, it } from 'vitest';
import { isFatal, toFailure } from './errors';

describe('toFailure', () => {
  it('uses the first GraphQL error message and code', () => {
    const f = toFailure({
      message: '[GraphQL] Too many attempts',
      graphQLErrors: [{ message: 'Too many attempts', extensions: { code: 'RATE_LIMITED' } }],
    });
    expect(f?.code).toBe('RATE_LIMITED');
    expect(f?.message).toBe('Too many attempts');
  });

  it('names network failures', () => {
    expect(
      toFailure({
        message: '[Network] Failed to fetch',
        graphQLErrors: [],
        networkError: new Error('x'),
      })?.code,
    ).toBe('NETWORK');
    const tooMany = toFailure({
      graphQLErrors: [],
      networkError: {
        code: 4429,
        reason: 'Too many connections: 20 open for this user (limits.socketsPerUser in agent.yaml)',
      },
    });
    expect(tooMany?.code).toBe('RATE_LIMITED');
    expect(tooMany?.message).toMatch(
      /^Too many connections: 20 open .*Close Tiny Agent in some other tabs/,
    );
  });

  it('accepts a raw errors array and strips urql prefixes', () => {
    expect(toFailure([{ message: 'Nope', extensions: { code: 'FORBIDDEN' } }])?.code).toBe(
      'FORBIDDEN',
    );
    expect(toFailure({ message: '[GraphQL] odd' })?.message).toBe('odd');
    expect(toFailure(null)).toBeNull();
  });

  it('knows which codes are worth retrying', () => {
    expect(isFatal('RATE_LIMITED')).toBe(false);
    expect(isFatal('NOT_FOUND')).toBe(true);
  });
});
