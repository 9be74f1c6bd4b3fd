import type { Client } from '@urql/core';
import { getContext, setContext } from 'svelte';
import type { MeQuery as MeResult } from '../../lib/graphql/generated/graphql';
import { runMutation, runQuery } from '../../lib/graphql/answer';
import { AppFailure } from '../../lib/graphql/errors';
import { LoginMutation, LogoutMutation, MeQuery } from './auth.documents';

export type Viewer = NonNullable<MeResult['me']>;

/** Who is signed in. The gate in App.svelte shows the sign-in page while `me` is null. */
export class Session {
  me = $state.raw<Viewer | null>(null);
  status = $state<'loading' | 'ready' | 'offline'>('loading');
  /** shown on the sign-in page, e.g. after the session expired */
  notice = $state<string | null>(null);
  isAdmin = $derived(this.me?.role === 'ADMIN');
  client: Client | null = null;

  async load(): Promise<void> {
    const result = await runQuery(this.needClient(), MeQuery, {});
    if (result.failure && !result.data) {
      this.status = 'offline';
      this.notice = result.failure.message;
      return;
    }
    this.me = result.data?.me ?? null;
    this.status = 'ready';
  }

  async signIn(username: string, password: string): Promise<AppFailure | null> {
    const { data, failure } = await runMutation(this.needClient(), LoginMutation, {
      username,
      password,
    });
    if (failure || !data)
      return failure ?? new AppFailure('INTERNAL_SERVER_ERROR', 'Sign-in failed.');
    this.notice = null;
    this.me = data.login.user;
    this.status = 'ready';
    return null;
  }

  async signOut(): Promise<void> {
    await runMutation(this.needClient(), LogoutMutation, {});
    this.me = null;
    this.notice = 'You have signed out.';
  }

  /** Called for any UNAUTHENTICATED answer. */
  expire(): void {
    if (!this.me) return;
    this.me = null;
    this.notice = 'Your session ended. Sign in again.';
  }

  private needClient(): Client {
    if (!this.client) throw new Error('Session used before the client was attached');
    return this.client;
  }
}

const KEY = Symbol('session');
export const setSession = (s: Session) => setContext(KEY, s);
export const getSession = () => getContext<Session>(KEY);
