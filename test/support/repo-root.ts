import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the folder above this file whose package.json is ours (from test/ or dist/test/). */
function findRepoRoot(): string {
  for (let folder = dirname(fileURLToPath(import.meta.url)); dirname(folder) !== folder; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'create-secure-flask'
    )
      return folder;
  }
  throw new Error('test setup: cannot find the create-secure-flask repository root');
}

export const REPO_ROOT = findRepoRoot();
