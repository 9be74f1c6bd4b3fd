import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { LoginMutation, MeQuery } from '../web/src/features/auth/auth.documents';
import { DashboardQuery } from '../web/src/features/dashboard/dashboard.documents';
import { CommandRunsQuery } from '../web/src/features/runs/runs.documents';

const ROOT = path.resolve(import.meta.dirname, '..');
let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.stop());

// Type-checked by `tsc -p test/tsconfig.json` (part of `npm run check`): if codegen stopped
// producing typed documents, the annotations and the @ts-expect-error lines below fail the build.
describe('codegen: generated documents against the live server', () => {
  it('the committed generated code is what `npm run codegen` makes from schema/schema.graphql', async () => {
    const { generate } = await import('@graphql-codegen/cli');
    const config = (await import('../codegen.js')).default;
    const outputs = (await generate({ ...config, cwd: ROOT, silent: true }, false)) as {
      filename: string;
      content: string;
    }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const o of outputs)
      expect(readFileSync(path.resolve(ROOT, o.filename), 'utf8'), o.filename).toBe(o.content);
  });

  it('a generated mutation and query run as they are typed', async () => {
    const vars: VariablesOf<typeof LoginMutation> = {
      username: 'admin',
      password: 'admin-password-1',
    };
    const login = await s.gql<ResultOf<typeof LoginMutation>>(print(LoginMutation), vars);
    const signedIn: string = login.data!.login.user.username;
    expect(signedIn).toBe('admin');
    // the web client rides on the cookie the mutation set
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

    const me = await s.gql<ResultOf<typeof MeQuery>>(print(MeQuery), {}, { cookie });
    expect(me.errors).toBeUndefined();
    const role: 'ADMIN' | 'USER' | undefined = me.data?.me?.role;
    expect(role).toBe('ADMIN');
    expect(me.data?.me?.username).toBe('admin');
    // a field the document did not select is not in its type
    // @ts-expect-error createdAt is not selected by MeQuery
    expect(me.data?.me?.createdAt).toBeUndefined();
    // @ts-expect-error variables are typed too
    const bad: VariablesOf<typeof LoginMutation> = { username: 'admin' };
    expect(bad).toBeTruthy();
  });

  it('connection queries that spread ...RunSummary pass the depth limit (a fragment spread is not a level)', async () => {
    const admin = await s.login();
    for (const doc of [DashboardQuery, CommandRunsQuery])
      expect((await s.gql(print(doc), {}, admin)).errors, print(doc)).toBeUndefined();
  });
});
