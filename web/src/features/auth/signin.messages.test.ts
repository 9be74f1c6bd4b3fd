import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../lib/graphql/errors';
import { signInMessage } from './signin.messages';

describe('signInMessage', () => {
  it('shows the server message for too many attempts', () => {
    const f = new AppFailure(
      'RATE_LIMITED',
      'Too many failed sign-ins. Try again in 15 minute(s).',
      { retryAfterSeconds: 900 },
    );
    expect(signInMessage(f)).toBe('Too many failed sign-ins. Try again in 15 minute(s).');
  });

  it('says when to try again when the server gives only a delay', () => {
    expect(signInMessage(new AppFailure('RATE_LIMITED', '', { retryAfterSeconds: 29.2 }))).toBe(
      'Too many sign-in attempts. Try again in 30 seconds.',
    );
    expect(signInMessage(new AppFailure('RATE_LIMITED', '', { retryAfterSeconds: 900 }))).toBe(
      'Too many sign-in attempts. Try again in 15 minutes.',
    );
    expect(signInMessage(new AppFailure('RATE_LIMITED', ''))).toMatch(/Wait a little/);
  });

  it('shows the server message for a wrong password', () => {
    expect(signInMessage(new AppFailure('UNAUTHENTICATED', 'Wrong username or password.'))).toBe(
      'Wrong username or password.',
    );
    expect(signInMessage(new AppFailure('UNAUTHENTICATED', ''))).toBe(
      'Wrong username or password.',
    );
  });
});
