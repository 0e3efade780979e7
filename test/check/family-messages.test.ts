import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { REPO_ROOT } from '../support/repo-root.js';

async function messagesIn(folder: string, ruleId: string): Promise<string[]> {
  const report = await runCheck({ paths: ['.'], includeTests: false, cwd: join(REPO_ROOT, folder), jobs: 1 });
  return report.findings.filter((finding) => finding.ruleId === ruleId).map((finding) => finding.message);
}

describe('messages of the Flask family', () => {
  it('a dev server that runs a Connexion app says which Connexion was assumed', async () => {
    expect(await messagesIn('fixtures/process-dev-server/flagged-connexion/pinned', 'process-dev-server')).toEqual([
      expect.stringContaining('(a Connexion app: Connexion 2 pinned in requirements.txt)'),
    ]);
    expect(await messagesIn('fixtures/process-dev-server/flagged-connexion/unpinned', 'process-dev-server')).toEqual([
      expect.stringContaining('(a Connexion app: Connexion 2 assumed: no requirements, pyproject or lock file pins'),
    ]);
  });

  it('DASH_DEBUG names the run() that reads it', async () => {
    expect(await messagesIn('fixtures/dockerfile-debug/flagged-dash', 'dockerfile-debug')).toEqual([
      expect.stringMatching(/\(\S*app\.py:9 starts the Dash app with debug unset, so DASH_DEBUG decides\)/),
    ]);
  });
});
