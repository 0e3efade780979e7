import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../support/python-env.js';
import { must } from '../support/must.js';

// Why a config DEBUG that only `flask run` serves is a warning (model-reach's configReach): under real Flask,
// `flask run` overwrites the config's debug mode from FLASK_DEBUG once it has loaded the app, and serves the
// debugger only on that flag. Proven on Flask 3.1 (the test venv) and 2.2 (the Connexion 2 venv).
const PROBE = join(REPO_ROOT, 'test', 'python', 'debugger_probe.py');
const APP = join(REPO_ROOT, 'fixtures', 'deploy-severity', 'flask-run-config', 'api');
const PYTHONS = [
  ['Flask 3.1', inject('python')],
  ['Flask 2.2', inject('pythonConnexion2')],
] as const;

async function probe(python: string, args: string[], variables: Record<string, string> = {}) {
  const result = await execa(python, [PROBE, ...args], {
    cwd: APP,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1', ...variables },
    extendEnv: false,
    reject: false,
    all: true,
  });
  expect(result.exitCode, result.all).toBe(0);
  return JSON.parse(must(String(result.stdout).trim().split('\n').at(-1))) as { debugger: boolean; app_debug: boolean };
}

describe('flask run sets debug mode from FLASK_DEBUG, whatever the config says', () => {
  it.each(PYTHONS)(
    '%s: the app config turns DEBUG on, flask run serves no debugger without FLASK_DEBUG',
    async (_, python) => {
      expect(await probe(python, ['factory', 'app:app'])).toMatchObject({ app_debug: true });
      expect(await probe(python, ['flask-run', 'app'])).toEqual(
        expect.objectContaining({ debugger: false, app_debug: false }),
      );
      expect(await probe(python, ['flask-run', 'app'], { FLASK_DEBUG: '1' })).toEqual(
        expect.objectContaining({ debugger: true, app_debug: true }),
      );
    },
  );

  it('FLASK_ENV=development still turns it on under Flask 2.2 (so it keeps the error)', async () => {
    const [, python] = must(PYTHONS[1]);
    expect(await probe(python, ['flask-run', 'app'], { FLASK_ENV: 'development' })).toMatchObject({ debugger: true });
  });
});
