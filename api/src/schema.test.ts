import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, findBreakingChanges } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema, schema } from './schema.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FILE = 'schema/schema.graphql';

/** The schema as committed at `ref` (CI can set SCHEMA_BASE=origin/main); without git, the file itself. */
function committedAt(ref: string): string {
  try {
    return execFileSync('git', ['show', `${ref}:${FILE}`], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return readFileSync(ROOT + FILE, 'utf8');
  }
}

/** Breaking changes made on purpose: graphql-js's description of the change, and why clients are fine with it. */
const ALLOWED_BREAKING: Record<string, string> = {};

describe('the schema pipeline', () => {
  it('schema/schema.graphql is what the code prints (run `npm run schema` after changing the schema)', () => {
    expect(readFileSync(ROOT + FILE, 'utf8')).toBe(printedSchema());
  });

  it('makes no breaking change to the committed schema unless ALLOWED_BREAKING names it with a reason', () => {
    const base = buildSchema(committedAt(process.env.SCHEMA_BASE || 'HEAD'));
    const breaking = findBreakingChanges(base, schema).map((c) => c.description);
    expect(breaking.filter((d) => !(d in ALLOWED_BREAKING))).toEqual([]);
  });
});
