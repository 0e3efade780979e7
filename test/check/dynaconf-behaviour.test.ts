import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { REPO_ROOT } from '../support/repo-root.js';

// What config-file-debug says of FlaskDynaconf's settings files, held against the real extension: each fixture
// app is imported from its project folder (where servers start) and asked for app.debug.
const python = inject('python');
const FIXTURES = join(REPO_ROOT, 'fixtures', 'config-file-debug');
const BASE_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };

async function debugOf(fixture: string, code: string, env: Record<string, string> = {}): Promise<string> {
  const result = await execa(python, ['-c', code], {
    cwd: join(FIXTURES, fixture),
    env: { ...BASE_ENV, ...env },
    extendEnv: false,
    timeout: 60_000,
  });
  return String(result.stdout).trim();
}

const FLAGGED_APPS =
  'from shop import create_app\nfrom shop.admin import admin\nprint(create_app().debug, admin.debug)';

describe('FlaskDynaconf settings files under real Dynaconf', () => {
  it('the flagged apps run in debug mode while FLASK_ENV is unset, and check reports both', async () => {
    expect(await debugOf('flagged-dynaconf', FLAGGED_APPS)).toBe('True True');
    const report = await runCheck({
      paths: ['.'],
      includeTests: false,
      cwd: join(FIXTURES, 'flagged-dynaconf'),
      jobs: 1,
    });
    expect(report.findings.map((finding) => `${finding.displayPath} ${finding.ruleId}`).sort()).toEqual([
      'shop/admin.py config-file-debug',
      'shop/ext/settings.py config-file-debug',
    ]);
  }, 120_000);

  it('FLASK_ENV=production selects the production table, where DEBUG is off, as the messages say', async () => {
    expect(await debugOf('flagged-dynaconf', FLAGGED_APPS, { FLASK_ENV: 'production' })).toBe('False False');
  }, 120_000);

  it('the clean app is off: only its named file is read, and a DEBUG outside any table is not loaded', async () => {
    expect(await debugOf('clean-dynaconf', 'from shop import app\nprint(app.debug)')).toBe('False');
    const report = await runCheck({
      paths: ['.'],
      includeTests: false,
      cwd: join(FIXTURES, 'clean-dynaconf'),
      jobs: 1,
    });
    expect(report.findings).toEqual([]);
  }, 120_000);
});
