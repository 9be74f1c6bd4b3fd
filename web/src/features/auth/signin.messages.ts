import type { AppFailure } from '../../lib/graphql/errors';

/** Sign-in failures in plain words; the server's own message when it has one. */
export function signInMessage(failure: AppFailure): string {
  if (failure.code === 'RATE_LIMITED') {
    const wait = Number(failure.extensions.retryAfterSeconds);
    const when = Number.isFinite(wait) && wait > 0 ? ` Try again in ${Math.ceil(wait)} seconds.` : ' Wait a little and try again.';
    return `Too many sign-in attempts.${when}`;
  }
  if (failure.code === 'UNAUTHENTICATED' || failure.code === 'BAD_USER_INPUT') {
    return failure.message || 'Wrong username or password.';
  }
  return failure.message;
}
