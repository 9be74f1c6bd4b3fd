import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** Yoga's CSRF prevention, its refusal carrying the contract code. */
export function useCsrf(): Plugin {
  const inner = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }) as Required<
    Pick<Plugin, 'onRequestParse'>
  >;
  return {
    onRequestParse(payload) {
      try {
        return inner.onRequestParse(payload);
      } catch (err) {
        if (err instanceof GraphQLError) {
          (err.extensions as Record<string, unknown>).code = 'FORBIDDEN';
          (err as { message: string }).message =
            `Requests without a JSON body must send the "${CSRF_HEADER}" header (CSRF protection).`;
        }
        throw err;
      }
    },
  };
}

/** The same rule, applied by the Node layer before a multipart body is read at all. */
export function csrfHeaderMissing(headers: Record<string, string | string[] | undefined>): boolean {
  const type = String(headers['content-type'] ?? '').toLowerCase();
  const preflighted =
    type &&
    !['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'].some((t) =>
      type.startsWith(t),
    );
  return !preflighted && headers[CSRF_HEADER] === undefined;
}
