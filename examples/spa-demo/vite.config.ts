import { defineConfig } from 'vite';

// The demo client's registered redirect URI is http://localhost:5173/callback, so the dev server
// must be exactly there. Tests build the app and serve it with `vite preview --port N`.
export default defineConfig({
  server: { port: 5173, strictPort: true, host: 'localhost' },
  preview: { port: 4173, strictPort: true },
  build: { target: 'es2022' },
});
