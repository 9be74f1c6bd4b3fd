import { GraphQLError, Kind, getOperationAST, type DocumentNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ServerContext } from '../context.js';

const OPEN_FIELDS = new Set(['me', 'login', '__typename']);

/** Root field names of the operation to run, through fragments. */
function rootFields(doc: DocumentNode, operationName?: string | null): string[] {
  const op = getOperationAST(doc, operationName);
  if (!op) return [];
  const fragments = new Map(doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const names: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.push(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) walk(f.selectionSet);
      }
    }
  };
  walk(op.selectionSet);
  return names;
}

const refusal = () => ({
  errors: [
    new GraphQLError('Sign in first: only `me` and `login` are open without a session cookie or a Bearer token.', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    }),
  ],
});

/** Deny by default: signed out, only `me` and `login` run (introspection included). */
export function useAuthGate(): Plugin {
  const allowed = (ctx: unknown, doc: DocumentNode, name?: string | null) =>
    !!(ctx as ServerContext).viewer || rootFields(doc, name).every((f) => OPEN_FIELDS.has(f));
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (!allowed(args.contextValue, args.document, args.operationName)) setResultAndStopExecution(refusal());
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if (!allowed(args.contextValue, args.document, args.operationName)) setResultAndStopExecution(refusal());
    },
  };
}
