/* eslint-disable */
/** The `extensions.code` of every GraphQL error this server returns. */
export type ErrorCode =
  /** The request or its arguments are not valid (syntax, validation, a value out of range); the message says which. */
  | 'BAD_USER_INPUT'
  /** Not possible as things stand: the run has already ended, the username is taken, the last administrator, as many runs as allowed at once. */
  | 'CONFLICT'
  /** Signed in, but your role does not allow this. */
  | 'FORBIDDEN'
  /** Anything unexpected; masked: no stack, path or SQL. The server log has the details. */
  | 'INTERNAL_SERVER_ERROR'
  /** The thing asked for does not exist, or you may not see it (both answer alike). */
  | 'NOT_FOUND'
  /** The request body or an uploaded file is larger than this server accepts, or the disk has no room left for it. */
  | 'PAYLOAD_TOO_LARGE'
  /** Too many attempts, requests or open streams, or a stream fell too far behind; `retryAfterSeconds` says when to try again if known. */
  | 'RATE_LIMITED'
  /** Not signed in, or the session or API token has ended: sign in again or send a valid Authorization: Bearer token. */
  | 'UNAUTHENTICATED'
  /** The request or an upload has a content type this server does not accept. */
  | 'UNSUPPORTED_MEDIA_TYPE';
