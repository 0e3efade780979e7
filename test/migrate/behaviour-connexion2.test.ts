import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { REPO_ROOT } from '../support/python-env.js';
import { migratedCopy } from '../support/migrated-copy.js';
import type { TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

// Connexion 2 needs Flask < 2.3: these run in their own pinned venv (test/python/requirements-connexion2.txt).
const python = inject('pythonConnexion2');
const PROBE = join(REPO_ROOT, 'test', 'python', 'debugger_probe.py');
const FIXTURES = join(REPO_ROOT, 'fixtures', 'behaviour-connexion2');

/** Runs the script under real Connexion 2 with the server start stubbed: does its run() serve the debugger? */
async function debuggerOn(folder: string, variables: Record<string, string>): Promise<boolean> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    ...variables,
  };
  const result = await execa(python, [PROBE, 'script', 'app.py'], {
    cwd: folder,
    env,
    extendEnv: false,
    reject: false,
    all: true,
  });
  expect(result.exitCode, result.all).toBe(0);
  return (JSON.parse(must(String(result.stdout).trim().split('\n').at(-1))) as { debugger: boolean }).debugger;
}

describe('migrated Connexion 2 apps behave as the safety model says, under real Connexion 2', () => {
  let workspace: TempProject;
  beforeAll(async () => {
    workspace = await migratedCopy(FIXTURES, 'secure-flask-connexion2-');
  }, 120_000);
  afterAll(() => workspace.remove());

  it.each(['connexion-run', 'connexion-constructor'])(
    '%s: on before; after, off with a clean environment and on with FLASK_DEBUG=1',
    async (name) => {
      expect(await debuggerOn(join(workspace.root, 'before', name), {})).toBe(true);
      expect(await debuggerOn(join(workspace.root, 'after', name), {})).toBe(false);
      expect(await debuggerOn(join(workspace.root, 'after', name), { FLASK_DEBUG: '1' })).toBe(true);
    },
  );

  it('check finds each before migrate (Connexion 2 pinned) and nothing after', async () => {
    const before = await secureFlask(['check', '.'], { cwd: join(workspace.root, 'before') });
    expect(before.stdout).toMatch(
      /connexion-run\/app\.py:6:\d+ +error +run-debug +Connexion app\.run\(\) with debug=True .*\(Connexion 2 pinned in requirements\.txt\)/,
    );
    expect(before.stdout).toMatch(
      /connexion-constructor\/app\.py:\d+:\d+ +error +run-debug +connexion\.App\(debug=True\)/,
    );
    const after = await secureFlask(['check', '.'], { cwd: join(workspace.root, 'after') });
    expect(after.exitCode, after.stdout).toBe(0);
  });
});
