import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../lib/graphql/errors';
import { signInMessage } from './signin.messages';

describe('signInMessage', () => {
  it('says when to try again after too many attempts', () => {
    expect(signInMessage(new AppFailure('RATE_LIMITED', 'x', { retryAfterSeconds: 29.2 }))).toBe('Too many sign-in attempts. Try again in 30 seconds.');
    expect(signInMessage(new AppFailure('RATE_LIMITED', 'x'))).toMatch(/Wait a little/);
  });

  it('shows the server message for a wrong password', () => {
    expect(signInMessage(new AppFailure('UNAUTHENTICATED', 'Wrong username or password.'))).toBe('Wrong username or password.');
    expect(signInMessage(new AppFailure('UNAUTHENTICATED', ''))).toBe('Wrong username or password.');
  });
});
