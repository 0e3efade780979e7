import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { fileKindOf } from '../../src/files/file-kinds.js';
import { secureFlask } from '../support/cli.js';
import { REPO_ROOT, venvBin } from '../support/python-env.js';
import { tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');
const HOOKS = parse(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
  id: string;
  language: string;
  entry: string;
  files: string;
  require_serial?: boolean;
}[];
const HOOK = must(HOOKS.find((hook) => hook.id === 'secure-flask-check'));

const CLEAN_APP =
  'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "ok"\n';

describe('.pre-commit-hooks.yaml', () => {
  it('declares secure-flask-check as a node hook running check, one process for all files', () => {
    expect(HOOK).toMatchObject({ language: 'node', entry: 'secure-flask check', require_serial: true });
  });

  it("passes every kind of file check reads, and shell entrypoints, and nothing else (pre-commit's own regex engine)", async () => {
    const passed = [
      'app.py',
      'pkg/gui.pyw',
      '.flaskenv',
      'web/.env',
      '.env.production',
      'prod.env',
      'Dockerfile',
      'docker/Dockerfile.prod',
      'web.dockerfile',
      'Containerfile',
      'compose.yaml',
      'docker-compose.yml',
      'k8s/deployment.yaml',
      'Procfile',
      'Procfile.dev',
      'supervisord.conf',
      'deploy/uwsgi.ini',
      'deploy/app.service',
      'entrypoint.sh',
      'bin/start.bash',
      'docker-entrypoint',
    ];
    const refused = [
      'README.md',
      'package.json',
      'static/app.js',
      'requirements.txt',
      'setup.cfg',
      'Makefile',
      'pyproject.toml',
    ];
    const script =
      'import re, sys, json\npattern = re.compile(sys.argv[1])\nprint(json.dumps([bool(pattern.search(name)) for name in sys.argv[2:]]))';
    const { stdout } = await execa(python, ['-c', script, HOOK.files, ...passed, ...refused]);
    const matched = JSON.parse(stdout) as boolean[];
    expect(Object.fromEntries(passed.map((name, index) => [name, matched[index]]))).toEqual(
      Object.fromEntries(passed.map((name) => [name, true])),
    );
    expect(Object.fromEntries(refused.map((name, index) => [name, matched[passed.length + index]]))).toEqual(
      Object.fromEntries(refused.map((name) => [name, false])),
    );
    // Every file kind check reads is passed to it.
    for (const name of passed)
      if (!/\.(sh|bash)$|entrypoint/.test(name)) expect(fileKindOf(must(name.split('/').at(-1))), name).toBeDefined();
  });
});

describe('what the hook installs', () => {
  it('comes from the npm registry only: no git, URL or file dependency anywhere in the lock', () => {
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; resolved?: string; link?: boolean }>;
    };
    const notFromRegistry = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .filter(
        ([, entry]) =>
          entry.link === true ||
          /^(?:git|github:|https?:|file:)/.test(entry.version ?? '') ||
          (entry.resolved !== undefined && !entry.resolved.startsWith('https://registry.npmjs.org/')),
      );
    expect(notFromRegistry).toEqual([]);
    expect(Object.keys(lock.packages).length).toBeGreaterThan(50);
  });
});

describe('check on the files a hook passes', () => {
  let project: TempProject;
  afterAll(() => project?.remove());

  it('a file named alone is read in the context of its project: config loaded from a file not named', async () => {
    project = tempProject();
    project.write('app.py', 'from flask import Flask\n\napp = Flask(__name__)\napp.config.from_object("settings")\n');
    project.write('settings.py', 'DEBUG = True\n');
    project.write('unused.py', 'DEBUG = True\n');
    await project.git('init', '-q');
    const alone = await secureFlask(['check', '--format', 'json', 'settings.py', 'unused.py'], { cwd: project.root });
    const whole = await secureFlask(['check', '--format', 'json'], { cwd: project.root });
    const ids = (stdout: string) =>
      (JSON.parse(stdout) as { findings: { ruleId: string; path: string }[] }).findings.map(
        (f) => `${f.path} ${f.ruleId}`,
      );
    expect(ids(alone.stdout)).toEqual(['settings.py config-module-debug']);
    expect(ids(whole.stdout)).toEqual(ids(alone.stdout));
    expect(alone.exitCode).toBe(1);
  });

  it('a long list of file arguments (4,000 files) gives the same findings as the folder', async () => {
    project = tempProject();
    const names: string[] = [];
    for (let index = 0; index < 4000; index++) {
      const name = `pkg${index % 40}/module_${index}.py`;
      names.push(name);
      project.write(
        name,
        index === 2345 ? 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n' : `VALUE = ${index}\n`,
      );
    }
    await project.git('init', '-q');
    const named = await secureFlask(['check', '--format', 'json', ...names], { cwd: project.root });
    const folder = await secureFlask(['check', '--format', 'json', '.'], { cwd: project.root });
    const summary = (stdout: string) =>
      JSON.parse(stdout) as { findings: { path: string; line: number }[]; summary: { filesChecked: number } };
    expect(named.exitCode, named.stderr).toBe(1);
    expect(summary(named.stdout).findings.map((f) => `${f.path}:${f.line}`)).toEqual(['pkg25/module_2345.py:3']);
    expect(summary(named.stdout)).toEqual(summary(folder.stdout));
    expect(summary(named.stdout).summary.filesChecked).toBe(4000);
  });
});

/** tree-sitter's native binding compiles where its prebuilt binary does not load (old glibc). */
function hasNativeDependency(): boolean {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return 'tree-sitter' in (manifest.dependencies ?? {});
}

/**
 * This repository as pre-commit sees it: a git repository at one commit. The working tree
 * (tracked and untracked files git does not ignore) is committed into a fresh repository, so
 * the test installs what is on disk, in a developer's checkout and in CI's clean clone alike.
 */
async function snapshotThisRepository(into: string): Promise<string> {
  const listed = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
  });
  const files = [...new Set(listed.stdout.split('\0').filter(Boolean))];
  for (const file of files) {
    const source = join(REPO_ROOT, file);
    try {
      mkdirSync(dirname(join(into, file)), { recursive: true });
      copyFileSync(source, join(into, file));
    } catch (error) {
      // A tracked file deleted in the working tree is simply not part of the snapshot.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const git = (...args: string[]) =>
    execa(
      'git',
      ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
      { cwd: into },
    );
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '--no-verify', '-m', 'snapshot for the pre-commit test');
  return (await git('rev-parse', 'HEAD')).stdout.trim();
}

describe('a real pre-commit hook (pre-commit from PyPI, this repository at its current commit)', () => {
  let scratch: string;
  let hookRepo: string;
  let rev: string;
  let target: TempProject;
  // The machine's environment (proxies, CA certificates) without this test runner's npm_* settings.
  let env: Record<string, string>;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'secure-flask-pre-commit-'));
    hookRepo = join(scratch, 'hook-repo');
    mkdirSync(hookRepo);
    rev = await snapshotThisRepository(hookRepo);
    const inherited = Object.entries(process.env).filter(
      ([name, value]) =>
        value !== undefined && !/^npm_/i.test(name) && !/^(INIT_CWD|VITEST.*|NODE_OPTIONS)$/.test(name),
    );
    env = {
      ...(Object.fromEntries(inherited) as Record<string, string>),
      PATH: [dirname(process.execPath), dirname(python), process.env.PATH ?? ''].join(':'),
      HOME: process.env.HOME ?? scratch,
      PRE_COMMIT_HOME: join(scratch, 'pre-commit-home'),
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      // No compiler for the hook's npm install, once the package has no native parser left to build.
      ...(hasNativeDependency() ? {} : { CC: '/bin/false', CXX: '/bin/false' }),
      NO_COLOR: '1',
    };
    target = tempProject('secure-flask-pre-commit-target-');
    await target.git('init', '-q');
    target.write(
      '.pre-commit-config.yaml',
      `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: secure-flask-check\n`,
    );
    const install = await execa(venvBin(python, 'pre-commit'), ['install'], {
      cwd: target.root,
      env,
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(install.exitCode, install.all).toBe(0);
    // Builds the hook environment: npm install of the snapshot (registry only), npm pack, npm install -g.
    const hooks = await execa(venvBin(python, 'pre-commit'), ['install-hooks'], {
      cwd: target.root,
      env,
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 840_000,
    });
    expect(hooks.exitCode, hooks.all).toBe(0);
  }, 900_000);

  afterAll(() => {
    target?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const commit = (message: string) =>
    execa('git', ['commit', '-m', message], { cwd: target.root, env, extendEnv: false, reject: false, all: true });
  const head = async () =>
    (await execa('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: target.root, reject: false })).stdout.trim();

  it('a clean change passes and is committed', async () => {
    target.write('app.py', CLEAN_APP);
    target.write('Procfile', 'web: gunicorn app:app\n');
    await execa('git', ['add', '-A'], { cwd: target.root });
    const result = await commit('a clean Flask app');
    expect(result.all).toMatch(/secure-flask check \(Flask debug mode\)\.+Passed/);
    expect(result.exitCode, result.all).toBe(0);
    expect(await head()).not.toBe('');
  });

  it('a change adding app.run(debug=True) is refused with the finding, and nothing is committed', async () => {
    const before = await head();
    target.write('app.py', `${CLEAN_APP}\n\nif __name__ == "__main__":\n    app.run(debug=True)\n`);
    await execa('git', ['add', 'app.py'], { cwd: target.root });
    const result = await commit('turn the debugger on');
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/secure-flask check \(Flask debug mode\)\.+Failed/);
    // The Procfile serves app:app with gunicorn, which never runs the __main__ block: a warning, and still refused.
    expect(result.all).toMatch(/app\.py:12:13 +warning +run-debug/);
    expect(await head()).toBe(before);
  });

  it('a settings module turning DEBUG on, staged alone, is refused: its loader is read from the unchanged app', async () => {
    target.write('app.py', `${CLEAN_APP}app.config.from_object("settings")\n`);
    await execa('git', ['add', 'app.py'], { cwd: target.root });
    expect((await commit('load settings')).exitCode).toBe(0);
    const before = await head();
    target.write('settings.py', 'DEBUG = True\n');
    await execa('git', ['add', 'settings.py'], { cwd: target.root });
    const result = await commit('settings');
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/settings\.py:1:1 +error +config-module-debug/);
    expect(await head()).toBe(before);
  });
});
