import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trustProxySetting } from '../trust-proxy.js';
import { contentSecurityPolicy, noStoreByDefault, PRINT_HANDLER, securityHeaders } from './security.js';

describe('security at the edges', () => {
  it('passes TRUST_PROXY to Express as no proxy, a number of hops or a list of addresses', () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting('')).toBe(false);
    expect(trustProxySetting('0')).toBe(false);
    expect(trustProxySetting('false')).toBe(false);
    expect(trustProxySetting('2')).toBe(2);
    expect(trustProxySetting('10.0.0.0/8, 192.168.1.7,loopback')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'loopback',
    ]);
  });

  it('allows scripts from this origin only, the print button by its hash, and no framing', () => {
    const csp = contentSecurityPolicy({ https: false });
    expect(csp['script-src']).toEqual(["'self'"]);
    const hash = createHash('sha256').update('window.print()').digest('base64');
    expect(PRINT_HANDLER).toBe('window.print()');
    expect(csp['script-src-attr']).toEqual(["'unsafe-hashes'", `'sha256-${hash}'`]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['upgrade-insecure-requests']).toBeUndefined();
    expect(contentSecurityPolicy({ https: true })['upgrade-insecure-requests']).toEqual([]);
  });

  describe('headers', () => {
    let server: Server;
    let url: string;
    const start = (hsts: boolean, handler: (res: import('node:http').ServerResponse) => void) =>
      new Promise<void>((resolve) => {
        const headers = securityHeaders({ hsts });
        server = createServer((req, res) => {
          res.setHeader('X-Powered-By', 'Express');
          headers(req, res, () => noStoreByDefault(req, res, () => handler(res)));
        }).listen(0, '127.0.0.1', () => {
          url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          resolve();
        });
      });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sets them on every answer, no-store unless a handler says otherwise, and no HSTS on http', async () => {
      await start(false, (res) => res.end('{}'));
      const r = await fetch(url);
      expect(r.headers.get('x-powered-by')).toBeNull();
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('strict-transport-security')).toBeNull();
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    });

    it('lets a handler cache its static files, and sends HSTS behind HTTPS', async () => {
      await start(true, (res) => {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
        res.end('x');
      });
      const r = await fetch(url);
      expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d+; includeSubDomains/);
      expect(r.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    });
  });
});
