import type { Client } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { runMutation, runQuery } from './answer';

// A stand-in for urql's client that answers every operation with one result.
function answering(result: object): { client: Client; kinds: string[] } {
  const kinds: string[] = [];
  const reply = (kind: string) => () => {
    kinds.push(kind);
    return { toPromise: () => Promise.resolve(result) };
  };
  return {
    client: { query: reply('query'), mutation: reply('mutation') } as unknown as Client,
    kinds,
  };
}

const doc = {} as never;

describe('runQuery / runMutation', () => {
  it('hand back the data and no failure on success', async () => {
    const { client, kinds } = answering({ data: { n: 1 } });
    expect(await runQuery(client, doc, {})).toEqual({ data: { n: 1 }, failure: null });
    expect(await runMutation(client, doc, {})).toEqual({ data: { n: 1 }, failure: null });
    expect(kinds).toEqual(['query', 'mutation']);
  });

  it('turn a GraphQL error into the failure with its code and message', async () => {
    const error = {
      message: '[GraphQL] Slow down',
      graphQLErrors: [{ message: 'Slow down', extensions: { code: 'RATE_LIMITED' } }],
    };
    const { failure, data } = await runMutation(answering({ error, data: null }).client, doc, {});
    expect(data).toBeUndefined();
    expect(failure?.code).toBe('RATE_LIMITED');
    expect(failure?.message).toBe('Slow down');
  });

  it('turn a network error into NETWORK', async () => {
    const error = {
      message: '[Network] Failed to fetch',
      graphQLErrors: [],
      networkError: new TypeError('Failed to fetch'),
    };
    const { failure } = await runQuery(answering({ error }).client, doc, {});
    expect(failure?.code).toBe('NETWORK');
  });
});
