import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type ExecutionResult,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ServerContext } from '../context.js';

const OPEN_FIELDS = new Set(['me', 'login', '__typename']);
const MESSAGE =
  'Sign in first: only `me` and `login` are open without a session cookie or a Bearer token.';
// one answer for every invalid document or variable: a stranger learns no name of the schema
const INVALID =
  'This request is not valid. Signed out, only `me` and `login` can be asked for: check the document and its variables, or sign in first.';

const invalid = () =>
  new GraphQLError(INVALID, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
const signedOut = (context: unknown) => !(context as Partial<ServerContext> | undefined)?.viewer;

/** Variable coercion (and operation selection) fails before any resolver: no data, errors without a path. */
function withoutSchemaNames(result: ExecutionResult): ExecutionResult | undefined {
  if (result.data !== undefined || !result.errors?.length || result.errors.some((e) => e.path))
    return undefined;
  return { ...result, errors: [invalid()] };
}

/** Root field names of every operation in the document, through fragments. */
function rootFields(doc: DocumentNode): string[] {
  const fragments = new Map(
    doc.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
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
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION) walk(d.selectionSet);
  return names;
}

/** Validation rule added for signed-out callers only (so Yoga's validation cache keeps them apart). */
function SignedOutOnlyOpenFields(context: ValidationContext): ASTVisitor {
  return {
    Document(doc) {
      if (!rootFields(doc).every((f) => OPEN_FIELDS.has(f))) {
        context.reportError(
          new GraphQLError(MESSAGE, {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          }),
        );
      }
      return false;
    },
  };
}

/**
 * Deny by default: signed out, only `me` and `login` validate (introspection included). It runs
 * at validation, before anything else is said about the document, so a stranger learns nothing
 * of the schema from other validation messages either: any other validation error, and a
 * variable that doesn't coerce, is answered with one generic message. On every transport alike
 * (HTTP, the fast path, SSE and WebSocket all validate and execute through these hooks).
 */
export function useAuthGate(): Plugin {
  return {
    onValidate({ context, addValidationRule }) {
      if (!signedOut(context)) return;
      addValidationRule(SignedOutOnlyOpenFields);
      return ({ result, setResult }) => {
        if (!result.length) return;
        const gate = result.find((e) => e.extensions?.code === 'UNAUTHENTICATED');
        setResult([gate ?? invalid()]);
      };
    },
    onExecute({ args }) {
      if (!signedOut(args.contextValue)) return;
      return {
        onExecuteDone({ result, setResult }) {
          const plain = Symbol.asyncIterator in result ? undefined : withoutSchemaNames(result);
          if (plain) setResult(plain);
        },
      };
    },
    onSubscribe({ args }) {
      if (!signedOut(args.contextValue)) return;
      return {
        onSubscribeResult({ result, setResult }) {
          const plain = Symbol.asyncIterator in result ? undefined : withoutSchemaNames(result);
          if (plain) setResult(plain);
        },
      };
    },
  };
}
