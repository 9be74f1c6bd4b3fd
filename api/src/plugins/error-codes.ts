import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import { AppError, isErrorCode, type ErrorCode } from '../errors.js';
import { QueueOverflowError } from '../realtime/queue.js';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

// duck-typed: a second copy of graphql-js (CJS beside ESM) must not defeat the check
export const isGraphQLError = (e: unknown): e is GraphQLError =>
  e instanceof GraphQLError ||
  (e instanceof Error && e.name === 'GraphQLError' && 'extensions' in e);

/** Our named errors keep their message and code; anything unexpected is masked by Yoga. */
export function maskError(error: unknown, message: string): Error {
  const located = isGraphQLError(error) ? error : undefined;
  const original = located ? located.originalError : error;
  if (original instanceof AppError || original instanceof QueueOverflowError) {
    const code = original instanceof AppError ? original.code : 'RATE_LIMITED';
    const details = original instanceof AppError ? original.details : {};
    return createGraphQLError(original.message, {
      nodes: located?.nodes,
      source: located?.source,
      positions: located?.positions,
      path: located?.path,
      extensions: { ...details, code },
    });
  }
  // graphql-js's own errors (a variable value that doesn't fit its type wraps a GraphQLError) are the caller's
  if (located && (!located.originalError || isGraphQLError(located.originalError)))
    return withContractCode(located);
  return yogaMaskError(error, message, false);
}

/** graphql-js and plugin errors (syntax, validation, limits, variables) are the caller's: BAD_USER_INPUT. */
export function withContractCode(error: GraphQLError, fallback = 'BAD_USER_INPUT'): GraphQLError {
  const code = error.extensions?.code;
  if (isErrorCode(code)) return error;
  const ext = error.extensions as Record<string, unknown>;
  ext.code = fallback;
  // graphql-armor words its limits as syntax errors; they are about size, not syntax
  const limit = /^Syntax Error: (.*(?:limit|exceeded).*)$/i.exec(error.message);
  if (limit) (error as { message: string }).message = `Query too large: ${limit[1]}`;
  return error;
}

export function httpStatusFor(code: string): number | undefined {
  return isErrorCode(code) ? HTTP_STATUS[code] : undefined;
}

/** Parse and validation errors carry a contract code on every transport. */
export function useContractErrorCodes(): Plugin {
  return {
    onParse() {
      return ({ result }) => {
        if (!isGraphQLError(result)) return;
        withContractCode(result);
        // as Yoga does for HTTP requests, but also when parsed outside a Request (fast path,
        // WebSocket): the error may be cached and re-thrown to an HTTP request later
        const ext = result.extensions as { http?: { status?: number; spec?: boolean } };
        ext.http = { spec: true, status: 400, ...ext.http };
      };
    },
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length) setResult(result.map((e) => withContractCode(e)));
      };
    },
  };
}
