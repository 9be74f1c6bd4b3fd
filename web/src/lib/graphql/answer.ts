// One GraphQL call as a promise of its data and the failure a person can act on. No runes: tests run in Node.
import type { AnyVariables, Client, OperationResult, TypedDocumentNode } from '@urql/core';
import { toFailure, type AppFailure } from './errors';

export interface Answer<Data> {
  data: Data | undefined;
  failure: AppFailure | null;
}

function answerOf<Data>(result: OperationResult<Data>): Answer<Data> {
  return { data: result.data ?? undefined, failure: toFailure(result.error) };
}

export async function runQuery<Data, Vars extends AnyVariables>(
  client: Client,
  document: TypedDocumentNode<Data, Vars>,
  variables: Vars,
): Promise<Answer<Data>> {
  return answerOf(await client.query(document, variables).toPromise());
}

export async function runMutation<Data, Vars extends AnyVariables>(
  client: Client,
  document: TypedDocumentNode<Data, Vars>,
  variables: Vars,
): Promise<Answer<Data>> {
  return answerOf(await client.mutation(document, variables).toPromise());
}
