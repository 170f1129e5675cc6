import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * The print button of the printable documents (notices, decisions, the accountability report) is the only
 * inline script any page carries: `onclick="window.print()"`. CSP allows exactly that handler by its hash.
 */
export const PRINT_HANDLER = 'window.print()';
const PRINT_HANDLER_HASH = `'sha256-${createHash('sha256').update(PRINT_HANDLER).digest('base64')}'`;

/**
 * One Content-Security-Policy for every response: the JSON API, the web UI at `/` (Vite-built React +
 * Ant Design, which injects its styles at run time), the Swagger page at `/docs` (its own scripts are
 * files; its styles are partly inline) and the printable documents. Scripts only from this origin.
 */
export function contentSecurityPolicy(options: { https: boolean }): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'unsafe-hashes'", PRINT_HANDLER_HASH],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    // Only behind HTTPS: on a local http address the browser would ask for https and find nothing.
    ...(options.https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * Security headers on every response (helmet): no `X-Powered-By`, `nosniff`, `Referrer-Policy:
 * no-referrer`, no framing (`X-Frame-Options: DENY`, `frame-ancestors 'none'`), the CSP above, and HSTS
 * only when the service is reached over HTTPS (`HSTS=true`).
 */
export function securityHeaders(options: { hsts: boolean }) {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy({ https: options.hsts }) },
    strictTransportSecurity: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * Answers carry personal data: nothing may keep them (browser, proxy). Set before any handler runs, so a
 * handler that knows better — the web UI's hashed assets, cached for a year — replaces it.
 */
export function noStoreByDefault(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}
