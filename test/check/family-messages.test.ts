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

  it('config loaded from a file names the file, its DEBUG line and where the name was resolved from', async () => {
    const messages = await messagesIn('fixtures/config-file-debug/flagged', 'config-file-debug');
    expect(messages).toContain(
      'config.from_file() loads config.json, whose "DEBUG": true (line 3) turns debug mode on in every environment ' +
        "(resolved from the app's root_path, this module's folder as for Flask(__name__))",
    );
    expect(messages).toContainEqual(expect.stringContaining('"DEBUG": "false" (a non-empty string is true to Flask)'));
    expect(await messagesIn('fixtures/config-file-debug/flagged-envvar', 'config-file-debug')).toEqual([
      expect.stringMatching(
        /APP_SETTINGS=\/srv\/app\/config\/production\.cfg at \S*Dockerfile:4 is \S*config\/production\.cfg, whose DEBUG = True is on line 1/,
      ),
    ]);
  });
});
