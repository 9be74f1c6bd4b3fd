import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The API serves the built UI and /graphql on one origin; in development Vite forwards to it.
const API = process.env.TINY_AGENT_API ?? 'http://127.0.0.1:5000';

export default defineConfig({
  plugins: [svelte()],
  server: {
    proxy: {
      '/graphql': { target: API, ws: true, changeOrigin: false },
      '/files': { target: API, changeOrigin: false },
    },
  },
  build: { target: 'es2022', sourcemap: true },
});
