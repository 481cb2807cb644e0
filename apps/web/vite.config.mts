import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web front (ADR 14): built into dist/web, which the API serves at `/` (index.html) and `/assets/`.
 * `npm run web:dev` serves it with hot reload and forwards the API's paths to a running API (VITE_API).
 */
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: Object.fromEntries(
      ['/overview', '/parties', '/commitments', '/governance', '/meetings', '/amendments', '/audit-trail', '/ledger', '/open-data', '/territories', '/directory', '/health', '/indicators', '/contracts', '/documents', '/evaluation-cycles', '/governance-bodies'].map((path) => [
        path,
        { target: process.env.VITE_API ?? 'http://127.0.0.1:3000', changeOrigin: false },
      ]),
    ),
  },
});
