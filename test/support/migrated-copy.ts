import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { secureFlask } from './cli.js';
import { tempProject, type TempProject } from './temp-project.js';

/**
 * Two copies of a fixture tree in a scratch folder, `before/` as it is and `after/`
 * rewritten by the real `secure-flask migrate --write`, so a test can run both.
 */
export async function migratedCopy(fixtures: string, prefix: string): Promise<TempProject> {
  const workspace = tempProject(prefix);
  cpSync(fixtures, join(workspace.root, 'before'), { recursive: true });
  cpSync(fixtures, join(workspace.root, 'after'), { recursive: true });
  const migrated = await secureFlask(['migrate', '--write', '.'], { cwd: join(workspace.root, 'after') });
  expect(migrated.exitCode, migrated.stdout + migrated.stderr).toBe(0);
  return workspace;
}
