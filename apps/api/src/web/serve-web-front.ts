import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { projectRoot } from '@mel/database';
import type { Response } from 'express';

/** Where `npm run build:web` (Vite) writes the web front. */
export const WEB_DIR = join(projectRoot(), 'dist', 'web');

/**
 * Serves the web front (ADR 14) beside the API, from the same origin, so that it talks to the API with no
 * CORS: `GET /` is its page and `/assets/…` its scripts and styles (named by their content's hash, so
 * cached for a year; the page itself is revalidated on every visit). Every other path is the API's: the
 * front's own addresses are after the `#`. Without a build, the API runs alone and says how to build it.
 */
export function serveWebFront(app: NestExpressApplication, dir: string = WEB_DIR): boolean {
  if (!existsSync(join(dir, 'index.html'))) return false;
  app.useStaticAssets(dir, {
    index: 'index.html',
    redirect: false,
    fallthrough: true,
    setHeaders: (res: Response, path: string) => {
      if (path.includes(`${join(dir, 'assets')}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      else res.setHeader('Cache-Control', 'no-cache');
    },
  });
  return true;
}
