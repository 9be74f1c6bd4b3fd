// A component's GraphQL calls with their state, so no page keeps its own failure and loading flags.
import type { AnyVariables, Client, TypedDocumentNode } from '@urql/core';
import { runMutation, runQuery } from './answer';
import type { AppFailure } from './errors';

export class Requests {
  /** The failure of the latest call, cleared by the next one that succeeds. */
  failure = $state.raw<AppFailure | null>(null);
  /** A query is on its way. */
  loading = $state(false);
  #mutating = $state(0);
  #asked = 0;

  constructor(private readonly client: Client) {}

  /** A mutation is on its way. */
  get busy(): boolean {
    return this.#mutating > 0;
  }

  /**
   * Runs a query and hands its data (undefined when it failed) to `use`, together with the state.
   * Only the latest query of this object is handed on: a slow answer for an old filter or page
   * must not overwrite a newer one.
   */
  async query<Data, Vars extends AnyVariables>(
    document: TypedDocumentNode<Data, Vars>,
    variables: Vars,
    use: (data: Data | undefined) => void = () => {},
  ): Promise<void> {
    const mine = ++this.#asked;
    this.loading = true;
    const answer = await runQuery(this.client, document, variables);
    if (mine !== this.#asked) return;
    this.loading = false;
    this.failure = answer.failure;
    use(answer.data);
  }

  /** Runs a mutation. Resolves to its data, or undefined when it failed. */
  async mutate<Data, Vars extends AnyVariables>(
    document: TypedDocumentNode<Data, Vars>,
    variables: Vars,
  ): Promise<Data | undefined> {
    this.#mutating++;
    try {
      const answer = await runMutation(this.client, document, variables);
      this.failure = answer.failure;
      return answer.data;
    } finally {
      this.#mutating--;
    }
  }
}
