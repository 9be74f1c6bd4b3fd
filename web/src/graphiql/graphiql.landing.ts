// The signed-out landing: what this page is, and a sign-in form (the UI's own sign-in, in place).
import { createElement as h, useState, type FormEvent } from 'react';
import { signIn, type Viewer } from './graphiql.session';

export function Landing(props: { notice: string | null; onSignedIn(viewer: Viewer): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const result = await signIn(username.trim(), password).catch(
      () => 'The server cannot be reached. Check that it is running, then try again.',
    );
    setBusy(false);
    if (typeof result === 'string') {
      setMessage(result);
      setPassword('');
    } else props.onSignedIn(result);
  }

  const field = (label: string, type: string, value: string, set: (v: string) => void) =>
    h(
      'label',
      null,
      label,
      h('input', {
        type,
        value,
        required: true,
        autoComplete: type === 'password' ? 'current-password' : 'username',
        onChange: (e: { target: HTMLInputElement }) => set(e.target.value),
      }),
    );

  return h(
    'main',
    { className: 'landing', id: 'main' },
    h('h1', null, 'Tiny Agent GraphiQL'),
    h(
      'p',
      null,
      'An editor for the GraphQL API of this server, with the schema documented as you type. ',
      'Sign in with your Tiny Agent account: the schema loads as soon as you are in.',
    ),
    props.notice && h('p', { className: 'notice', role: 'status' }, props.notice),
    h(
      'form',
      { onSubmit: submit },
      field('Username', 'text', username, setUsername),
      field('Password', 'password', password, setPassword),
      message &&
        h('p', { className: 'error', role: 'alert', 'data-testid': 'signin-error' }, message),
      h('button', { type: 'submit', disabled: busy }, busy ? 'Signing in…' : 'Sign in'),
    ),
    h(
      'p',
      { className: 'muted' },
      'Scripts send an API token instead (Authorization: Bearer …), made on the Account page of the ',
      h('a', { href: '/' }, 'web UI'),
      '.',
    ),
  );
}
