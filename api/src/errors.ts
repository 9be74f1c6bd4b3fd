// Expected failures: each class maps to one contract `extensions.code`. No GraphQL import here;
// the error-mapping plugin turns these into GraphQL errors, everything else is masked.

/** Every `extensions.code` a caller can see, and when. The one list: the schema publishes it as `enum ErrorCode`. */
export const ERROR_CODES = {
  UNAUTHENTICATED:
    'Not signed in, or the session or API token has ended: sign in again or send a valid Authorization: Bearer token.',
  FORBIDDEN: 'Signed in, but your role does not allow this.',
  BAD_USER_INPUT:
    'The request or its arguments are not valid (syntax, validation, a value out of range); the message says which.',
  NOT_FOUND: 'The thing asked for does not exist, or you may not see it (both answer alike).',
  CONFLICT:
    'Not possible as things stand: the run has already ended, the username is taken, the last administrator, as many runs as allowed at once.',
  RATE_LIMITED:
    'Too many attempts, requests or open streams, or a stream fell too far behind; `retryAfterSeconds` says when to try again if known.',
  PAYLOAD_TOO_LARGE:
    'The request body or an uploaded file is larger than this server accepts, or the disk has no room left for it.',
  UNSUPPORTED_MEDIA_TYPE:
    'The request or an upload has a content type this server does not accept.',
  INTERNAL_SERVER_ERROR:
    'Anything unexpected; masked: no stack, path or SQL. The server log has the details.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);

export class AppError extends Error {
  constructor(
    // INTERNAL_SERVER_ERROR is never thrown on purpose: it is what masking leaves
    readonly code: Exclude<ErrorCode, 'INTERNAL_SERVER_ERROR'>,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends AppError {
  constructor(
    message = 'Sign in first: this needs a session cookie or an Authorization: Bearer token.',
  ) {
    super('UNAUTHENTICATED', message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this.') {
    super('FORBIDDEN', message);
  }
}
export class BadUserInputError extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', message, details);
  }
}
export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`);
  }
}
export class ConflictError extends AppError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}
export class RateLimitedError extends AppError {
  constructor(message: string, retryAfterSeconds?: number) {
    super('RATE_LIMITED', message, retryAfterSeconds ? { retryAfterSeconds } : {});
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super('PAYLOAD_TOO_LARGE', message);
  }
}
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super('UNSUPPORTED_MEDIA_TYPE', message);
  }
}
