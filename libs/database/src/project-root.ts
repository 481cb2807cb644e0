import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project's root folder (where nest-cli.json is), from sources as from the build in dist/. */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nest-cli.json above ${from}: run the ledger from its project folder`);
    dir = parent;
  }
  return dir;
}
