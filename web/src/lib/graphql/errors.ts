// Turning any failure into the one message a person can act on. Pure: no urql import, so tests run in Node.

import type { ErrorCode as ServerErrorCode } from './generated/error-codes';

/** The server's codes (generated from the schema's `enum ErrorCode`), and ours for a server we cannot reach. */
export type ErrorCode = ServerErrorCode | 'NETWORK';

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

/** The shape shared by urql's CombinedError and a raw `{ errors }` response. */
export interface ErrorLike {
  message?: string;
  graphQLErrors?: GraphQLErrorLike[];
  networkError?: unknown;
}

export class AppFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppFailure';
  }
}

const OFFLINE = 'Cannot reach the Tiny Agent server. Check your connection and try again.';

/** First GraphQL error wins: the server's message is written for people. */
export function toFailure(
  error: ErrorLike | GraphQLErrorLike[] | null | undefined,
): AppFailure | null {
  if (!error) return null;
  const list = Array.isArray(error) ? error : (error.graphQLErrors ?? []);
  const first = list[0];
  if (first) {
    const code =
      typeof first.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
    return new AppFailure(code as ErrorCode, first.message, first.extensions);
  }
  if (!Array.isArray(error) && error.networkError) return fromNetwork(error.networkError);
  const message = !Array.isArray(error) && error.message ? error.message : 'Something went wrong.';
  return new AppFailure('INTERNAL_SERVER_ERROR', message.replace(/^\[(GraphQL|Network)\]\s*/, ''));
}

/** Codes after which retrying the same operation cannot help. */
export function isFatal(code: ErrorCode): boolean {
  return (
    code === 'UNAUTHENTICATED' ||
    code === 'FORBIDDEN' ||
    code === 'NOT_FOUND' ||
    code === 'BAD_USER_INPUT'
  );
}

/** A WebSocket closed with 4401/4403 is an auth answer, and 4429 a limit, not a network hiccup. */
function fromNetwork(networkError: unknown): AppFailure {
  const { code, reason } = (networkError ?? {}) as { code?: unknown; reason?: unknown };
  if (code === 4401)
    return new AppFailure('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
  if (code === 4403) return new AppFailure('FORBIDDEN', 'Your role does not allow this.');
  if (code === 4429) {
    const why = typeof reason === 'string' && reason ? `${reason}. ` : '';
    return new AppFailure(
      'RATE_LIMITED',
      `${why}Close Tiny Agent in some other tabs or windows, then try again.`,
    );
  }
  return new AppFailure('NETWORK', OFFLINE);
}
