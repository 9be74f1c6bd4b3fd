import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The API serves the built UI and /graphql on one origin; in development Vite forwards to it.
const API = process.env.TINY_AGENT_API ?? 'http://127.0.0.1:5000';
const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  plugins: [svelte()],
  // GraphiQL's worker setup imports Monaco's workers with `?worker`, which the dev server's
  // pre-bundler cannot load (it crashed Vite): that module is served as it is, the rest of
  // GraphiQL pre-bundled when /graphiql.html is first opened
  optimizeDeps: {
    entries: ['index.html'],
    exclude: ['graphiql/setup-workers/vite', '@graphiql/react/setup-workers/vite'],
  },
  server: {
    proxy: {
      '/graphql': { target: API, ws: true, changeOrigin: false },
      // downloads only: /files and /files/ are the Files page, served by Vite like every route
      '^/files/.+': { target: API, changeOrigin: false },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    // two pages: the app, and GraphiQL (served by the API on /graphql) with its own chunks
    rollupOptions: {
      input: { index: page('index.html'), graphiql: page('graphiql.html') },
      // GraphiQL's React packages carry "use client" directives, meaningless outside a server build
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // GraphiQL's editor workers (Monaco) are module workers, emitted as same-origin files
  worker: { format: 'es' },
});
