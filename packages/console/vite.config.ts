import { defineConfig } from 'vite';

// Served by the Gatehouse server at {publicUrl}/admin/ (packages/server/src/http/routes/console.ts),
// which adds a <base href> to index.html: relative asset URLs then resolve from any route depth
// and under any public-URL path prefix. No inline script or style is emitted (strict CSP).
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
