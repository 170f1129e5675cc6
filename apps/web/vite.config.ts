import react from '@vitejs/plugin-react-swc';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
// `npm run web:dev` proxies every API path to the platform (npm start, port 3000 unless API_URL says otherwise).
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';
const apiPrefixes = [
  '/auth',
  '/cases',
  '/public',
  '/health',
  '/housing',
  '/education',
  '/civil-affairs',
  '/government',
  '/intake',
  '/oversight',
  '/admin',
  '/notifications',
  '/urgent',
  '/ready',
  '/docs',
];

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '../../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      apiPrefixes.map((p) => [
        p,
        {
          target: api,
          // Browser navigations to the UI's own pages stay with Vite.
          bypass: (req) => (req.headers.accept?.includes('text/html') ? '/index.html' : undefined),
        },
      ]),
    ),
  },
});
