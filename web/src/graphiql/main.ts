// GraphiQL, bundled with the app (its own chunk, loaded only on /graphql): no request leaves the
// server's origin, so it works offline and under the app's Content-Security-Policy.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';
import { GraphiQL } from 'graphiql';
import { createElement as h, StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createFetcher } from './graphiql.fetcher';
import { Landing } from './graphiql.landing';
import { currentViewer, signOut, type Viewer } from './graphiql.session';

const DEFAULT_QUERY = `# Tiny Agent's API. Ctrl-Enter runs; the book icon opens the schema.
query Me {
  me {
    username
    role
  }
}
`;

type State =
  | { status: 'loading' }
  | { status: 'offline' }
  | { status: 'out'; notice: string | null }
  | { status: 'in'; viewer: Viewer };

function SignedIn(props: { viewer: Viewer; onSignedOut(notice: string | null): void }) {
  const { viewer, onSignedOut } = props;
  // a fresh fetcher per session: GraphiQL introspects again whenever its fetcher changes
  const session = useMemo(
    () => createFetcher(() => onSignedOut('Your session ended. Sign in again to go on.')),
    [viewer.id, onSignedOut],
  );
  useEffect(() => session.dispose, [session]);
  const bar = h(
    'header',
    { className: 'bar' },
    h('strong', { className: 'brand' }, 'Tiny Agent GraphiQL'),
    h(
      'span',
      { className: 'who' },
      'Signed in as ',
      h('span', { 'data-testid': 'current-user' }, viewer.username),
    ),
    h('a', { href: '/' }, 'Web UI'),
    h(
      'button',
      {
        type: 'button',
        onClick: () => void signOut().finally(() => onSignedOut(null)),
      },
      'Sign out',
    ),
  );
  return h(
    'div',
    { className: 'signed-in' },
    bar,
    h(GraphiQL, { fetcher: session.fetcher, defaultQuery: DEFAULT_QUERY }),
  );
}

function App() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const signedOut = useMemo(
    () => (notice: string | null) => setState({ status: 'out', notice }),
    [],
  );
  useEffect(() => {
    currentViewer().then(
      (viewer) => setState(viewer ? { status: 'in', viewer } : { status: 'out', notice: null }),
      () => setState({ status: 'offline' }),
    );
  }, []);
  switch (state.status) {
    case 'loading':
      return h('p', { className: 'splash', role: 'status' }, 'Loading…');
    case 'offline':
      return h(
        'p',
        { className: 'splash', role: 'alert' },
        'The server cannot be reached. Reload the page once it is running.',
      );
    case 'out':
      return h(Landing, {
        notice: state.notice,
        onSignedIn: (viewer) => setState({ status: 'in', viewer }),
      });
    case 'in':
      return h(SignedIn, { viewer: state.viewer, onSignedOut: signedOut });
  }
}

createRoot(document.getElementById('graphiql')!).render(h(StrictMode, null, h(App)));
