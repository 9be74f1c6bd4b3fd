// Who is signed in, and signing in and out, for the GraphiQL page (the same calls the UI makes).
import { CSRF_HEADERS } from '../lib/graphql/client';

export interface Viewer {
  id: string;
  username: string;
  role: string;
}

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function call<T>(query: string, variables?: Record<string, unknown>): Promise<Answer<T>> {
  const res = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...CSRF_HEADERS,
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer<T>;
}

/** The signed-in user, or null when signed out. Throws when the server cannot be reached. */
export async function currentViewer(): Promise<Viewer | null> {
  const a = await call<{ me: Viewer | null }>('query Me { me { id username role } }');
  return a.data?.me ?? null;
}

/** Signs in (the server sets the session cookie); the viewer, or the server's message. */
export async function signIn(username: string, password: string): Promise<Viewer | string> {
  const a = await call<{ login: { user: Viewer } }>(
    'mutation Login($username: String!, $password: String!) { login(username: $username, password: $password) { user { id username role } } }',
    { username, password },
  );
  return a.data?.login.user ?? a.errors?.[0]?.message ?? 'Signing in failed.';
}

export async function signOut(): Promise<void> {
  await call('mutation Logout { logout }');
}
