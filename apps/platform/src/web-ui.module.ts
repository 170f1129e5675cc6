import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/web, built by `npm run build` (vite) next to dist/apps/platform/src. */
export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');

/**
 * The browser UI's own paths: only these fall back to index.html, so every API path (and an unknown one)
 * keeps its JSON answer. Keep in step with apps/web/src/routes.tsx.
 */
const UI_ROUTES = /^\/(?:login|progress|notices|workbench)(?:\/.*)?$|^\/$/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

type Next = (err?: unknown) => void;

function send(res: ServerResponse, file: string, head: boolean, cache: string): void {
  const st = statSync(file);
  res.statusCode = 200;
  res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
  res.setHeader('content-length', st.size);
  res.setHeader('cache-control', cache);
  res.setHeader('x-content-type-options', 'nosniff');
  if (head) {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

/**
 * Serves the web UI (apps/web) after every controller route and before the JSON 404: hashed assets
 * under /assets/ are cached for a year; a browser navigation to one of the UI's pages gets index.html.
 */
export function webUiHandler(root: string) {
  const index = path.join(root, 'index.html');
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return next();
    }
    const head = req.method === 'HEAD';
    if (pathname.startsWith('/assets/') || pathname === '/favicon.svg') {
      const file = path.join(root, pathname);
      if (file.startsWith(`${root}${path.sep}`) && existsSync(file) && statSync(file).isFile()) {
        return send(res, file, head, 'public, max-age=31536000, immutable');
      }
      return next();
    }
    if (UI_ROUTES.test(pathname) && (req.headers.accept ?? '').includes('text/html') && existsSync(index)) {
      return send(res, index, head, 'no-cache');
    }
    next();
  };
}

@Injectable()
class WebUiInstaller implements OnModuleInit {
  private readonly logger = new Logger('WebUi');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // Runs after the controllers' routes are registered and before Nest's not-found handler.
    if (!existsSync(path.join(WEB_ROOT, 'index.html'))) {
      this.logger.warn(`no web UI at ${WEB_ROOT}: run npm run build to build apps/web`);
      return;
    }
    this.adapterHost.httpAdapter.use(webUiHandler(WEB_ROOT));
  }
}

/** The browser UI at `/` (apps/platform only; the distributed shape serves dist/web from a web server). */
@Module({ providers: [WebUiInstaller] })
export class WebUiModule {}
