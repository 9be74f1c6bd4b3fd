import type { AppFailure } from '../../lib/graphql/errors';

function waitText(seconds: number): string {
  if (seconds >= 120) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds)} seconds`;
}

/** Sign-in failures in plain words: the server's own message when it sends one. */
export function signInMessage(failure: AppFailure): string {
  if (failure.code === 'RATE_LIMITED') {
    if (failure.message) return failure.message;
    const wait = Number(failure.extensions.retryAfterSeconds);
    return Number.isFinite(wait) && wait > 0
      ? `Too many sign-in attempts. Try again in ${waitText(wait)}.`
      : 'Too many sign-in attempts. Wait a little and try again.';
  }
  if (failure.code === 'UNAUTHENTICATED' || failure.code === 'BAD_USER_INPUT') {
    return failure.message || 'Wrong username or password.';
  }
  return failure.message;
}
