import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SOURCES = join(ROOT, 'apps', 'web');
const BUILT = join(ROOT, 'dist', 'web', 'index.html');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Builds the web front (Vite, into dist/web) when it is missing or older than its sources, once per test
 * run (jest's global setup), so that the API the browser tests start serves the code under test.
 */
export function ensureWebFrontBuilt(): void {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newest(SOURCES)) return;
  const started = Date.now();
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(SOURCES, 'vite.config.mts'), '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the web front did not build (npm run build:web):\n${result.stdout}\n${result.stderr}`);
  console.log(`web front built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
