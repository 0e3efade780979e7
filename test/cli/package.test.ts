import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../support/python-env.js';

// The published package, installed the way users get it: from the tarball into an empty folder.
describe('the npm package', () => {
  let workdir: string;
  let tarball: string;

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'secure-flask-pack-'));
    const packed = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workdir], { cwd: REPO_ROOT });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(workdir, info!.filename);
    writeFileSync(join(workdir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    await execa('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: workdir });
  }, 300_000);

  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  it('ships the built code, the templates and the README, and nothing else', async () => {
    const packed = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT });
    const [info] = JSON.parse(packed.stdout) as { files: { path: string }[] }[];
    const paths = info!.files.map((file) => file.path);
    expect(paths).toContain('dist/bin/secure-flask.js');
    expect(paths).toContain('dist/bin/create-secure-flask.js');
    expect(paths).toContain('dist/bin/worker.js');
    expect(paths).toContain('templates/project/wsgi.py.hbs');
    expect(paths).toContain('README.md');
    const unexpected = paths.filter((path) => !/^(dist\/bin\/[\w.-]+\.js|templates\/.+|README\.md|package\.json|LICENSE)$/.test(path));
    expect(unexpected).toEqual([]);
  });

  it.each([['secure-flask'], ['create-secure-flask']])('npx %s --help works from the installed tarball', async (bin) => {
    const result = await execa('npx', ['--no-install', bin, '--help'], { cwd: workdir, env: { NO_COLOR: '1' } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Usage: ${bin === 'secure-flask' ? 'secure-flask <command>' : 'create-secure-flask'}`));
  });

  it('the installed secure-flask check parses Python with tree-sitter in worker threads, with the same result as inline', async () => {
    const project = join(workdir, 'project');
    await execa('mkdir', ['-p', project]);
    for (let index = 0; index < 80; index++) writeFileSync(join(project, `module_${index}.py`), 'debug = False\n');
    // Enough candidates that the pool hands batches to worker threads.
    for (let index = 0; index < 30; index++) writeFileSync(join(project, `app_${index}.py`), 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n');
    const threaded = await execa('npx', ['--no-install', 'secure-flask', 'check', project, '--format', 'json', '--jobs', '3'], { cwd: workdir, reject: false });
    expect(threaded.exitCode, threaded.stderr).toBe(1);
    const inline = await execa('npx', ['--no-install', 'secure-flask', 'check', project, '--format', 'json', '--jobs', '1'], { cwd: workdir, reject: false });
    expect(threaded.stdout).toBe(inline.stdout);
    const report = JSON.parse(threaded.stdout) as { findings: { ruleId: string; path: string }[]; summary: { filesChecked: number } };
    expect(report.findings).toHaveLength(30);
    expect(new Set(report.findings.map((finding) => finding.ruleId))).toEqual(new Set(['run-debug']));
    expect(report.summary.filesChecked).toBe(110);
  });

  it('npx create-secure-flask demo --yes makes a project whose own tests and check pass', async () => {
    const result = await execa('npx', ['--no-install', 'create-secure-flask', 'demo', '--yes', '--no-install', '--server', 'both'], { cwd: workdir, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
    const project = join(workdir, 'demo');
    const pytest = await execa(inject('python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: project, reject: false, all: true, env: { FLASK_DEBUG: '', APP_ENV: '' } });
    expect(pytest.exitCode, pytest.all).toBe(0);
    const check = await execa('npx', ['--no-install', 'secure-flask', 'check', 'demo'], { cwd: workdir, reject: false });
    expect(check.exitCode, check.stdout).toBe(0);
  });
});
