import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder of this package (where package.json and templates/ are), found by
 * walking up from this module: the same from dist/src/... and from src/... .
 */
export function packageRoot(): string {
  if (cached) return cached;
  for (let folder = dirname(fileURLToPath(import.meta.url)); dirname(folder) !== folder; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'create-secure-flask'
    ) {
      cached = folder;
      return folder;
    }
  }
  throw new Error('cannot find the create-secure-flask package folder');
}
