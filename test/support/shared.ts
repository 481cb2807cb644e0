import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The project's shared folder (../shared beside the project root): test vectors, seed, reference data. */
export function sharedPath(...parts: string[]): string {
  const shared = resolve(__dirname, '../../../shared');
  if (!existsSync(shared)) {
    throw new Error(`the shared folder is expected beside the project, at ${shared}: tests read its vectors and reference data in place`);
  }
  return join(shared, ...parts);
}
