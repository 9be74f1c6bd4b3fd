// For agent.yaml tests: the problems a refused file was refused with (failing the test if it loaded).
import { expect } from 'vitest';
import { AgentConfigError } from './agent-config.js';

export async function refusals(loading: Promise<unknown>): Promise<string[]> {
  const err = await loading.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgentConfigError);
  return (err as AgentConfigError).problems;
}
