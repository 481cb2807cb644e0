import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { projectRoot } from '@mel/database';
import { type NextFunction, type Request, type Response, static as serveStatic } from 'express';

/** Where `npm run build:web` (Vite) writes the web front. */
export const WEB_DIR = join(projectRoot(), 'dist', 'web');

/** The front's only paths: its page and its built files; every other path is the API's. */
const WEB_PATH = /^\/(index\.html)?$|^\/assets\//;

/**
 * Serves the web front (ADR 14) beside the API, from the same origin, so that it talks to the API with no
 * CORS: `GET /` is its page and `/assets/…` its scripts and styles (named by their content's hash, so
 * cached for a year; the page itself is revalidated on every visit). Every other path goes straight to the
 * API, without a look at the disk: the front's own addresses are after the `#`. Without a build, the API
 * runs alone.
 */
export function serveWebFront(app: NestExpressApplication, dir: string = WEB_DIR): boolean {
  if (!existsSync(join(dir, 'index.html'))) return false;
  const assets = join(dir, 'assets');
  const files = serveStatic(dir, {
    index: 'index.html',
    redirect: false,
    fallthrough: true,
    setHeaders: (res: Response, path: string) => res.setHeader('Cache-Control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  app.use((req: Request, res: Response, next: NextFunction) => ((req.method === 'GET' || req.method === 'HEAD') && WEB_PATH.test(req.path) ? files(req, res, next) : next()));
  return true;
}
