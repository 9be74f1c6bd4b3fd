import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, findBreakingChanges } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema, schema } from './schema.js';

const committed = (name: string) => readFileSync(fileURLToPath(new URL(`../../schema/${name}`, import.meta.url)), 'utf8');

describe('the schema pipeline', () => {
  it('schema/schema.graphql is what the code prints (run `npm run schema` after changing the schema)', () => {
    expect(committed('schema.graphql')).toBe(printedSchema());
  });

  it('keeps every name and type of the contract (extensions are fine, breaking changes are not)', () => {
    const contract = buildSchema(committed('contract.graphql'));
    const breaking = findBreakingChanges(contract, schema).map((c) => c.description);
    expect(breaking).toEqual([]);
  });
});
