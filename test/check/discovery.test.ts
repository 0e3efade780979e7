import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
import { runUnprivileged } from '../support/unprivileged.js';
import { FLASK_DEBUG_APP, tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

let project: TempProject;
afterEach(() => project?.remove());

async function findingPaths(paths: string[], cwd: string, includeTests = false) {
  const report = await runCheck({ paths, includeTests, cwd, jobs: 1 });
  return { paths: report.findings.map((finding) => finding.displayPath), report };
}

describe('which files check reads', () => {
  it('respects .gitignore from the repository root, also when run in a subfolder', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.gitignore', 'generated/\n*.local.py\n');
    project.write('service/app.py', FLASK_DEBUG_APP);
    project.write('service/generated/app.py', FLASK_DEBUG_APP);
    project.write('service/scratch.local.py', FLASK_DEBUG_APP);
    project.write('service/.gitignore', 'vendored.py\n');
    project.write('service/vendored.py', FLASK_DEBUG_APP);
    const fromRoot = await findingPaths(['.'], project.root);
    expect(fromRoot.paths).toEqual(['service/app.py']);
    const fromSubfolder = await findingPaths(['.'], join(project.root, 'service'));
    expect(fromSubfolder.paths).toEqual(['app.py']);
  });

  it('checks a file git tracks although .gitignore lists it (committed before the rule): every clone has it', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('app.py', 'from flask import Flask\n\napp = Flask(__name__)\n');
    project.write('.env', 'FLASK_DEBUG=1\n');
    project.write('settings.local.py', FLASK_DEBUG_APP);
    await project.git('add', '-A');
    await project.git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'start');
    // Listed afterwards: git keeps tracking both; the untracked scratch file stays ignored.
    project.write('.gitignore', '.env\n*.local.py\nscratch.py\n');
    project.write('scratch.py', FLASK_DEBUG_APP);
    const { report } = await findingPaths(['.'], project.root);
    expect(report.findings.map((finding) => `${finding.displayPath} ${finding.ruleId}`)).toEqual([
      '.env env-file-debug',
      'settings.local.py run-debug',
    ]);
    expect((await findingPaths(['.env'], project.root)).paths).toEqual(['.env']);
  });

  it('checks a repository nested in another that ignores it, with only its own .gitignore', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.gitignore', '/demo/\n');
    project.write('demo/app.py', FLASK_DEBUG_APP);
    project.write('demo/.gitignore', '.env\n');
    await project.git('-C', 'demo', 'init', '-q');
    expect((await findingPaths(['demo'], project.root)).paths).toEqual(['demo/app.py']);
    expect((await findingPaths(['.'], join(project.root, 'demo'))).paths).toEqual(['app.py']);
  });

  it('skips node_modules, virtualenvs under any name, build output and VCS folders', async () => {
    project = tempProject();
    project.write('app.py', FLASK_DEBUG_APP);
    for (const folder of [
      'node_modules/pkg',
      '.venv/lib/python3.12/site-packages',
      'venv/Lib/site-packages',
      'build',
      'dist',
      '.git',
      '__pycache__',
      'pkg.egg-info',
      '.tox/py',
    ]) {
      project.write(`${folder}/app.py`, FLASK_DEBUG_APP);
    }
    project.write('custom-env/pyvenv.cfg', 'home = /usr/bin\n');
    project.write('custom-env/bin/python', '');
    project.write('custom-env/lib/app.py', FLASK_DEBUG_APP);
    expect((await findingPaths(['.'], project.root)).paths).toEqual(['app.py']);
  });

  it('takes a folder for a virtualenv only by its structure, and checks the code beside one made in place', async () => {
    project = tempProject();
    // A stray pyvenv.cfg and a folder named venv that holds the application: no interpreter, no site-packages.
    project.write('service/pyvenv.cfg', 'home = /usr/bin\n');
    project.write('service/app.py', FLASK_DEBUG_APP);
    project.write('venv/app.py', FLASK_DEBUG_APP);
    // `python -m venv .` in the project folder: its own folders are skipped, the app beside them is not.
    project.write('inplace/pyvenv.cfg', 'home = /usr/bin\n');
    project.write('inplace/Scripts/python.exe', '');
    project.write('inplace/Lib/site-packages/dep.py', FLASK_DEBUG_APP);
    project.write('inplace/app.py', FLASK_DEBUG_APP);
    const { paths, report } = await findingPaths(['.'], project.root);
    expect(paths.sort()).toEqual(['inplace/app.py', 'service/app.py', 'venv/app.py']);
    expect(report.skipped).toContainEqual({ displayPath: 'inplace', reason: 'virtualenv' });
  });

  it('checks a Python script named without .py by its shebang, and no other file without an extension', async () => {
    project = tempProject();
    project.write('bin/serve', `#!/usr/bin/env python3\n${FLASK_DEBUG_APP}`);
    project.write('bin/tool', `#!/bin/sh\n${FLASK_DEBUG_APP}`);
    project.write('LICENSE', FLASK_DEBUG_APP);
    project.write('notes.txt', `#!/usr/bin/env python\n${FLASK_DEBUG_APP}`);
    const { paths } = await findingPaths(['.'], project.root);
    expect(paths).toEqual(['bin/serve']);
  });

  it('takes a virtualenv made before pyvenv.cfg existed (bin/activate and its lib/python*) under any name', async () => {
    project = tempProject();
    project.write('vv---vv/bin/activate', '# activate\n');
    project.write('vv---vv/lib/python2.7/orig-prefix.txt', '/usr\n');
    project.write('vv---vv/lib/python2.7/demo.py', FLASK_DEBUG_APP);
    project.write('old-env/bin/activate', '# activate\n');
    project.write('old-env/lib/python3.6/site-packages/dep.py', FLASK_DEBUG_APP);
    // An activate script alone (a tools folder) is no virtualenv: its code is checked.
    project.write('tools/bin/activate', '# activate\n');
    project.write('tools/app.py', FLASK_DEBUG_APP);
    const { paths, report } = await findingPaths(['.'], project.root);
    expect(paths).toEqual(['tools/app.py']);
    expect(report.skipped).toContainEqual({ displayPath: 'vv---vv', reason: 'virtualenv' });
    expect(report.skipped).toContainEqual({ displayPath: 'old-env', reason: 'virtualenv' });
  });

  it('reports a git-ignored virtualenv as skipped, like one git does not ignore; other ignored folders stay silent', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.gitignore', 'pyenv/\nvenv/\nlogs/\n');
    project.write('app.py', FLASK_DEBUG_APP);
    project.write('pyenv/pyvenv.cfg', 'home = /usr/bin\n');
    project.write('pyenv/bin/python', '');
    project.write('pyenv/lib/python3.12/site-packages/dep.py', FLASK_DEBUG_APP);
    project.write('venv/Lib/site-packages/dep.py', FLASK_DEBUG_APP);
    project.write('logs/tool.py', FLASK_DEBUG_APP);
    const { paths, report } = await findingPaths(['.'], project.root);
    expect(paths).toEqual(['app.py']);
    expect(report.skipped).toEqual([
      { displayPath: 'pyenv', reason: 'virtualenv' },
      { displayPath: 'venv', reason: 'virtualenv' },
    ]);
  });

  it('never reports "checked 0 files" silently', async () => {
    project = tempProject();
    project.write('venv/pyvenv.cfg', 'home = /usr/bin\n');
    project.write('venv/bin/python', '');
    project.write('venv/lib/python3.12/site-packages/app.py', FLASK_DEBUG_APP);
    const skippedAll = await secureFlask(['check'], { cwd: project.root });
    expect(skippedAll.stdout).toMatch(/checked 0 files; skipped 1 \(1 virtualenv\)/);
    expect(skippedAll.stdout).toMatch(/Nothing was checked: every file here was skipped \(1 virtualenv\)/);
    project = tempProject();
    project.write('README.md', '# notes\n');
    const empty = await secureFlask(['check'], { cwd: project.root });
    expect(empty.stdout).toMatch(/Nothing was checked: no Python, env, Docker/);
  });

  it('skips test code by default, says so, and checks it with --include-tests', async () => {
    project = tempProject();
    project.write('app.py', 'from flask import Flask\napp = Flask(__name__)\n');
    for (const path of ['tests/test_views.py', 'test_app.py', 'app_test.py', 'conftest.py', 'pkg/tests/helpers.py'])
      project.write(path, FLASK_DEBUG_APP);
    const skipped = await findingPaths(['.'], project.root);
    expect(skipped.paths).toEqual([]);
    expect(skipped.report.skipped.filter((skip) => skip.reason === 'test code')).toHaveLength(5);
    const included = await findingPaths(['.'], project.root, true);
    expect(included.paths.sort()).toEqual([
      'app_test.py',
      'conftest.py',
      'pkg/tests/helpers.py',
      'test_app.py',
      'tests/test_views.py',
    ]);
    const cli = await secureFlask(['check'], { cwd: project.root });
    expect(cli.stdout).toMatch(/skipped 5 \(5 test code\)/);
    expect(cli.stdout).toMatch(/--include-tests/);
  });

  it('reports binary, undecodable, huge and broken-link files as skipped and still checks the rest', async () => {
    project = tempProject();
    project.write('app.py', FLASK_DEBUG_APP);
    project.write('binary.py', Buffer.from([0x64, 0x65, 0x62, 0x75, 0x67, 0x00, 0x01, 0x02]));
    project.write(
      'latin1.py',
      Buffer.concat([Buffer.from('s = "'), Buffer.from([0xe9]), Buffer.from('"\napp.run(debug=True)\n')]),
    );
    project.write('huge.py', `debug = True\n${'x = 1\n'.repeat(3_000_000)}`);
    symlinkSync(join(project.root, 'missing.py'), join(project.root, 'dangling.py'));
    const { paths, report } = await findingPaths(['.'], project.root);
    expect(paths).toEqual(['app.py']);
    const reasons = Object.fromEntries(report.skipped.map((skip) => [skip.displayPath, skip.reason]));
    expect(reasons).toEqual({
      'binary.py': 'binary',
      'latin1.py': 'not valid UTF-8',
      'huge.py': 'larger than 16 MiB',
      'dangling.py': 'broken symlink',
    });
  });

  it('never decodes a file that holds no keyword, so it is checked, not skipped', async () => {
    project = tempProject();
    project.write('plain.py', Buffer.concat([Buffer.from('s = "'), Buffer.from([0xff]), Buffer.from('"\n')]));
    const { report } = await findingPaths(['.'], project.root);
    expect(report.skipped).toEqual([]);
    expect(report.filesChecked).toBe(1);
  });

  it('decodes a PEP 263 coding cookie, a UTF-8 BOM and CRLF line endings', async () => {
    project = tempProject();
    project.write(
      'latin.py',
      Buffer.concat([
        Buffer.from('# -*- coding: latin-1 -*-\nfrom flask import Flask\nname = "caf'),
        Buffer.from([0xe9]),
        Buffer.from('"\napp = Flask(name)\napp.run(debug=True)\n'),
      ]),
    );
    project.write(
      'bom.py',
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('from flask import Flask\r\napp = Flask(__name__)\r\napp.run(debug=True)\r\n'),
      ]),
    );
    const { report } = await findingPaths(['.'], project.root);
    expect(report.findings.map((f) => `${f.displayPath}:${f.line}:${f.column}`)).toEqual([
      'bom.py:3:9',
      'latin.py:5:9',
    ]);
  });

  it('follows symlinks once and survives symlink loops', async () => {
    project = tempProject();
    project.write('pkg/app.py', FLASK_DEBUG_APP);
    symlinkSync(join(project.root, 'pkg'), join(project.root, 'pkg', 'loop'));
    symlinkSync(join(project.root, 'pkg', 'app.py'), join(project.root, 'alias.py'));
    const { paths, report } = await findingPaths(['.'], project.root);
    expect(paths).toHaveLength(1);
    expect(report.skipped.map((skip) => skip.reason)).toContain('symlink loop');
  });

  it('checks explicitly named files, even git-ignored ones, and says when a named file is not a checked type', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.gitignore', 'ignored_app.py\n');
    project.write('ignored_app.py', FLASK_DEBUG_APP);
    project.write('README.md', '# app.run(debug=True)\n');
    const { paths, report } = await findingPaths(['ignored_app.py', 'README.md'], project.root);
    expect(paths).toEqual(['ignored_app.py']);
    expect(report.skipped).toEqual([{ displayPath: 'README.md', reason: 'not a checked file type' }]);
  });

  it('finds in a named deploy file what a run over the project finds: the script it runs is looked up in the whole project', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write(
      'docker-compose.yml',
      'services:\n  web:\n    build: ./services/web\n    command: python manage.py run -h 0.0.0.0\n',
    );
    project.write(
      'services/web/manage.py',
      'from flask import Flask\nfrom flask.cli import FlaskGroup\n\napp = Flask(__name__)\ncli = FlaskGroup(create_app=lambda: app)\n\nif __name__ == "__main__":\n    cli()\n',
    );
    const whole = await findingPaths(['.'], project.root);
    expect(whole.report.findings.map((finding) => finding.ruleId)).toEqual(['orchestrator-dev-server']);
    const named = await findingPaths(['docker-compose.yml'], project.root);
    expect(named.report.findings.map(({ ruleId, line, severity }) => ({ ruleId, line, severity }))).toEqual(
      whole.report.findings.map(({ ruleId, line, severity }) => ({ ruleId, line, severity })),
    );
  });

  it('treats an env file named explicitly but git-ignored as a local file', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.gitignore', '.env\n');
    project.write('.env', 'FLASK_DEBUG=1\n');
    expect((await findingPaths(['.env'], project.root)).paths).toEqual([]);
  });

  it('checks a folder named on the command line even when an enclosing repository ignores it', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.gitignore', 'vendor/\n');
    project.write('vendor/lib/app.py', FLASK_DEBUG_APP);
    expect((await findingPaths(['vendor/lib'], project.root)).paths).toEqual(['vendor/lib/app.py']);
  });

  it('reports an unreadable file as skipped, and fails closed (exit 2) when nothing else is found', async () => {
    project = tempProject();
    project.write('app.py', 'from flask import Flask\napp = Flask(__name__)\n');
    const secret = project.write('secret.py', FLASK_DEBUG_APP);
    chmodSync(secret, 0o000);
    mkdirSync(join(project.root, 'locked'));
    writeFileSync(join(project.root, 'locked', 'app.py'), FLASK_DEBUG_APP);
    chmodSync(join(project.root, 'locked'), 0o000);
    // root reads everything: drop its permission-bypassing capabilities (never depends on the checkout's parents).
    const result = await runUnprivileged(process.execPath, [SECURE_FLASK_BIN, 'check', '--verbose', '.'], {
      cwd: project.root,
      env: { NO_COLOR: '1' },
    });
    chmodSync(join(project.root, 'locked'), 0o755);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/skipped secret\.py: unreadable \(permission denied\)/);
    expect(result.stdout).toMatch(/skipped locked: unreadable \(permission denied\)/);
    // One label in the summary for every file or folder that cannot be read.
    expect(result.stdout).toMatch(/skipped 2 \(2 unreadable\)/);
  });

  it('a named path that cannot be read is an error (exit 2), not "No debug-mode findings"', async () => {
    project = tempProject();
    project.write('app.py', 'from flask import Flask\napp = Flask(__name__)\n');
    chmodSync(project.write('secret.py', FLASK_DEBUG_APP), 0o000);
    mkdirSync(join(project.root, 'locked'));
    chmodSync(join(project.root, 'locked'), 0o000);
    for (const [named, message] of [
      ['secret.py', 'cannot read secret.py: permission denied'],
      ['locked', 'cannot read locked: permission denied'],
    ]) {
      const result = await runUnprivileged(process.execPath, [SECURE_FLASK_BIN, 'check', must(named)], {
        cwd: project.root,
        env: { NO_COLOR: '1' },
      });
      expect(result.exitCode, result.stdout).toBe(2);
      expect(result.stdout).not.toMatch(/No debug-mode findings/);
      expect(result.stderr.trim()).toBe(`secure-flask: error: ${message}`);
    }
    chmodSync(join(project.root, 'locked'), 0o755);
  });
});

describe('the root of a check outside git', () => {
  it('is a folder named, even a package; files named inside a package resolve their imports from above it', async () => {
    project = tempProject('secure-flask-root-');
    project.write(
      'app/__init__.py',
      'from flask import Flask\n\nfrom app.settings import DEBUG\n\napp = Flask(__name__)\napp.config["DEBUG"] = DEBUG\n',
    );
    project.write('app/settings.py', 'DEBUG = True\n');
    // The folder named is the root, whatever it holds.
    const folder = await runCheck({ paths: ['app'], includeTests: false, cwd: project.root, jobs: 1 });
    expect(folder.root).toBe(join(project.root, 'app'));
    // Files named inside the package: `from app.settings import DEBUG` resolves from the folder above it.
    const files = await runCheck({
      paths: ['app/__init__.py', 'app/settings.py'],
      includeTests: false,
      cwd: project.root,
      jobs: 1,
    });
    expect(files.findings.map((finding) => `${finding.ruleId} ${finding.displayPath}`)).toEqual([
      'config-debug-item app/__init__.py',
    ]);
  });
});
