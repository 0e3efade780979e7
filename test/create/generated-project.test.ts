import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createSecureFlask, secureFlask } from '../support/cli.js';
import { venvBin } from '../support/python-env.js';
import { freePort, startServer } from '../support/server.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

const python = inject('python');
let workspace: TempProject;
beforeAll(() => {
  workspace = tempProject('secure-flask-generate-');
});
afterAll(() => workspace.remove());

/** A clean environment: nothing from this machine's shell (FLASK_DEBUG, APP_ENV...) leaks in. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workspace.root, LANG: 'C.UTF-8', ...extra };
}

async function generate(name: string, flags: string[]): Promise<string> {
  const result = await createSecureFlask([name, '--yes', '--no-install', '--no-git', ...flags], { cwd: workspace.root });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return join(workspace.root, name);
}

function fileList(root: string): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder).flatMap((name) => {
      const path = join(folder, name);
      if (name === '.git' || name === '__pycache__' || name === '.pytest_cache' || name === '.ruff_cache') return [];
      return statSync(path).isDirectory() ? walk(path) : [relative(root, path).split(sep).join('/')];
    });
  return walk(root).sort();
}

async function runPython(project: string, args: string[], env: Record<string, string> = {}) {
  return execa(python, args, { cwd: project, env: cleanEnv(env), extendEnv: false, reject: false, all: true });
}

const COMBINATIONS = ['gunicorn', 'waitress', 'both'].flatMap((server) =>
  ['github', 'gitlab', 'none'].flatMap((ci) => [true, false].map((docker) => ({ server, ci, docker }))),
);

describe('the generated project', () => {
  it('has the reviewed file tree for the defaults', async () => {
    const project = await generate('tree-check', []);
    // Reviewed by hand: this list is the generated-project contract, update it only on purpose.
    expect(fileList(project)).toEqual([
      '.dockerignore',
      '.env',
      '.env.example',
      '.flaskenv',
      '.github/workflows/ci.yml',
      '.gitignore',
      'Dockerfile',
      'Procfile',
      'README.md',
      'gunicorn.conf.py',
      'pyproject.toml',
      'tests/conftest.py',
      'tests/test_app.py',
      'tests/test_production_safety.py',
      'tree_check/__init__.py',
      'tree_check/config.py',
      'tree_check/errors.py',
      'tree_check/security.py',
      'tree_check/views.py',
      'wsgi.py',
    ]);
  });

  it.each(COMBINATIONS)('server=$server ci=$ci docker=$docker: its tests, Ruff and secure-flask check pass', async ({ server, ci, docker }) => {
    const name = `combo-${server}-${ci}-${docker ? 'docker' : 'plain'}`;
    const project = await generate(name, ['--server', server, '--ci', ci, docker ? '--docker' : '--no-docker']);
    const files = fileList(project);
    expect(files.includes('gunicorn.conf.py')).toBe(server !== 'waitress');
    expect(files.includes('Dockerfile') && files.includes('.dockerignore')).toBe(docker);
    expect(files.includes('.github/workflows/ci.yml')).toBe(ci === 'github');
    expect(files.includes('.gitlab-ci.yml')).toBe(ci === 'gitlab');

    const pytest = await runPython(project, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
    expect(pytest.exitCode, pytest.all).toBe(0);
    expect(pytest.all).toMatch(/\b19 passed\b/);
    const ruff = await execa(venvBin(python, 'ruff'), ['check', '--no-cache', '.'], { cwd: project, reject: false, all: true });
    expect(ruff.exitCode, ruff.all).toBe(0);
    const check = await secureFlask(['check', '--include-tests', '.'], { cwd: project });
    // Test code legitimately sets FLASK_DEBUG in monkeypatch calls; the shipped code and deploy files must be clean.
    const shipped = await secureFlask(['check', '.'], { cwd: project });
    expect(shipped.exitCode, shipped.stdout).toBe(0);
    expect(check.exitCode, check.stdout).toBe(0);

    const procfile = readFileSync(join(project, 'Procfile'), 'utf8');
    expect(procfile).toBe(server === 'waitress' ? 'web: waitress-serve --port=$PORT wsgi:app\n' : 'web: gunicorn -c gunicorn.conf.py wsgi:app\n');
    if (docker) {
      const dockerfile = readFileSync(join(project, 'Dockerfile'), 'utf8');
      expect(dockerfile).toMatch(/^USER app$/m);
      expect(dockerfile).toMatch(server === 'waitress' ? /^CMD \["waitress-serve"/m : /^CMD \["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"\]$/m);
      expect(readFileSync(join(project, '.dockerignore'), 'utf8')).toMatch(/^\.env$/m);
    }
    if (ci === 'github') {
      const workflow = parseYaml(readFileSync(join(project, '.github/workflows/ci.yml'), 'utf8')) as {
        on: unknown;
        jobs: Record<string, { 'runs-on': string; strategy?: { matrix: { 'python-version': string[] } }; steps: { uses?: string; run?: string }[] }>;
      };
      expect(workflow.on).toBeDefined();
      expect(workflow.jobs.test!.strategy!.matrix['python-version']).toEqual(['3.10', '3.11', '3.12', '3.13']);
      const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? step.uses));
      expect(runs).toEqual(expect.arrayContaining(['actions/checkout@v4', 'python -m pip install -e ".[dev]"', 'ruff check .', 'pytest']));
      expect(runs.some((run) => /secure-flask check \.$/.test(run ?? ''))).toBe(true);
    }
    if (ci === 'gitlab') {
      const pipeline = parseYaml(readFileSync(join(project, '.gitlab-ci.yml'), 'utf8')) as Record<string, { script?: string[] }>;
      expect(pipeline.test!.script).toEqual(['python -m pip install -e ".[dev]"', 'ruff check .', 'pytest']);
      expect(pipeline['debug-guard']!.script![0]).toMatch(/secure-flask check \.$/);
    }
  });

  it('gets the permissions of any new folder (the umask), not a private temp folder\'s', async () => {
    const project = await generate('permissions', ['--no-docker']);
    mkdirSync(join(workspace.root, 'plain-folder'));
    expect(statSync(project).mode & 0o777).toBe(statSync(join(workspace.root, 'plain-folder')).mode & 0o777);
  });

  it('keeps .env out of git, with a random SECRET_KEY per project, and .flaskenv without FLASK_DEBUG', async () => {
    const first = await generate('secret-one', []);
    const second = await generate('secret-two', []);
    const secret = (project: string) => /^SECRET_KEY=([0-9a-f]{64})$/m.exec(readFileSync(join(project, '.env'), 'utf8'))?.[1];
    expect(secret(first)).toBeDefined();
    expect(secret(first)).not.toBe(secret(second));
    expect(readFileSync(join(first, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    expect(readFileSync(join(first, '.env.example'), 'utf8')).toMatch(/^SECRET_KEY=$/m);
    expect(readFileSync(join(first, '.flaskenv'), 'utf8')).not.toMatch(/FLASK_DEBUG/);
  });
});

describe('the generated project served in production', () => {
  let project: string;
  beforeAll(async () => {
    project = await generate('served', ['--server', 'both']);
    // A route that fails, added beside the app for this test only: the shipped code has none.
    writeFileSync(join(project, 'failing_wsgi.py'), 'from wsgi import app\n\n\n@app.get("/fail")\ndef fail():\n    raise RuntimeError("internal detail")\n');
  });

  const servers = {
    gunicorn: (port: number) => ({ command: venvBin(python, 'gunicorn'), args: ['-c', 'gunicorn.conf.py', 'failing_wsgi:app'], env: { HOST: '127.0.0.1', PORT: String(port), WEB_CONCURRENCY: '1' } }),
    waitress: (port: number) => ({ command: venvBin(python, 'waitress-serve'), args: [`--listen=127.0.0.1:${port}`, 'failing_wsgi:app'], env: {} as Record<string, string> }),
  };

  describe.each(Object.keys(servers) as (keyof typeof servers)[])('%s', (server) => {
    it('serves /, hides tracebacks and the debugger, even with FLASK_DEBUG unset', async () => {
      const port = await freePort();
      const spec = servers[server](port);
      const running = await startServer(spec.command, spec.args, { cwd: project, port, env: cleanEnv({ ...spec.env, SECRET_KEY: 'x'.repeat(64) }) });
      try {
        const index = await fetch(`${running.url}/`);
        expect(index.status).toBe(200);
        expect(await index.json()).toEqual({ service: 'served', status: 'ok' });
        expect(index.headers.get('x-frame-options')).toBe('DENY');
        const missing = await fetch(`${running.url}/missing`);
        expect(missing.status).toBe(404);
        const failing = await fetch(`${running.url}/fail`);
        expect(failing.status).toBe(500);
        const body = await failing.text();
        expect(body).not.toMatch(/Traceback|internal detail|__debugger__|Werkzeug/);
        const console = await fetch(`${running.url}/console`);
        expect(console.status).toBe(404);
        const resource = await fetch(`${running.url}/fail?__debugger__=yes&cmd=resource&f=debugger.js`);
        expect(await resource.text()).not.toMatch(/Werkzeug|debugger/i);
      } finally {
        await running.stop();
      }
    });

    it('refuses to start with FLASK_DEBUG=1 in production, naming the variable', async () => {
      const port = await freePort();
      const spec = servers[server](port);
      const result = await execa(spec.command, spec.args, {
        cwd: project,
        env: cleanEnv({ ...spec.env, SECRET_KEY: 'x'.repeat(64), FLASK_DEBUG: '1' }),
        extendEnv: false,
        reject: false,
        all: true,
        timeout: 30_000,
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.timedOut).toBe(false);
      expect(result.all).toMatch(/FLASK_DEBUG=1 is set while APP_ENV is production/);
    });

    it('refuses to start without SECRET_KEY, naming it', async () => {
      const port = await freePort();
      const spec = servers[server](port);
      const result = await execa(spec.command, spec.args, { cwd: project, env: cleanEnv(spec.env), extendEnv: false, reject: false, all: true, timeout: 30_000 });
      expect(result.exitCode).not.toBe(0);
      expect(result.timedOut).toBe(false);
      expect(result.all).toMatch(/SECRET_KEY is not set/);
    });
  });
});

describe('create-secure-flask with real post steps', () => {
  it('git init with a first commit, a .venv with the project installed, and its tests passing there', async () => {
    const result = await createSecureFlask(['installed', '--yes', '--python', python], { cwd: workspace.root, env: { HOME: workspace.root } });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const project = join(workspace.root, 'installed');
    expect(result.stdout).toMatch(/Git repository\.\.\.\n {2}done: initialized with a first commit/);
    expect(result.stdout).toMatch(/Next steps:\n {2}cd installed\n {2}\. \.venv\/bin\/activate\n {2}flask run --debug/);
    const log = await execa('git', ['log', '--oneline'], { cwd: project });
    expect(log.stdout).toMatch(/Initial commit from create-secure-flask/);
    const tracked = (await execa('git', ['ls-files'], { cwd: project })).stdout.split('\n');
    expect(tracked).not.toContain('.env');
    expect(tracked).toContain('.env.example');
    const pytest = await execa(join(project, '.venv', 'bin', 'pytest'), ['-q', '-p', 'no:cacheprovider'], { cwd: project, env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(pytest.exitCode, pytest.all).toBe(0);
    const flask = await execa(join(project, '.venv', 'bin', 'python'), ['-c', 'import flask, gunicorn; print(flask.__version__)'], { cwd: project });
    expect(flask.stdout).toMatch(/^3\.1\./);
  }, 600_000);
});

describe('bad input leaves nothing behind', () => {
  it.each([
    [['taken'], /taken is not empty/],
    [['--name', '123'], /has no letters/],
    [['class'], /Python keyword/],
    [['--server', 'uwsgi'], /--server must be one of gunicorn, waitress, both/],
    [['a', 'b'], /expected one project folder, got 2/],
    [['--python', ''], /--python needs an executable/],
  ])('%j: one-line error, exit 2, no new files', async (args, message) => {
    const folder = tempProject('secure-flask-bad-');
    try {
      folder.write('taken/mine.txt', 'keep me\n');
      const before = fileList(folder.root);
      const result = await createSecureFlask([...args, '--yes', '--no-install', '--no-git'], { cwd: folder.root });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(fileList(folder.root)).toEqual(before);
      expect(readdirSync(folder.root).filter((name) => name.includes('.creating-'))).toEqual([]);
    } finally {
      folder.remove();
    }
  });

  it('--force writes beside existing files but never over them', async () => {
    const folder = tempProject('secure-flask-force-');
    try {
      folder.write('existing/notes.txt', 'keep me\n');
      const ok = await createSecureFlask(['existing', '--force', '--yes', '--no-install', '--no-git'], { cwd: folder.root });
      expect(ok.exitCode).toBe(0);
      expect(readFileSync(join(folder.root, 'existing', 'notes.txt'), 'utf8')).toBe('keep me\n');
      expect(existsSync(join(folder.root, 'existing', 'wsgi.py'))).toBe(true);

      folder.write('clash/README.md', 'my readme\n');
      const clash = await createSecureFlask(['clash', '--force', '--yes', '--no-install', '--no-git'], { cwd: folder.root });
      expect(clash.exitCode).toBe(2);
      expect(clash.stderr).toMatch(/already has README\.md/);
      expect(fileList(join(folder.root, 'clash'))).toEqual(['README.md']);
      expect(readdirSync(folder.root).filter((name) => name.includes('.creating-'))).toEqual([]);
    } finally {
      folder.remove();
    }
  });

  it('without a terminal and without --yes it takes the defaults instead of waiting', async () => {
    const folder = tempProject('secure-flask-notty-');
    try {
      const result = await createSecureFlask(['--no-install', '--no-git'], { cwd: folder.root });
      expect(result.exitCode).toBe(0);
      expect(existsSync(join(folder.root, 'flask-app', 'flask_app', '__init__.py'))).toBe(true);
    } finally {
      folder.remove();
    }
  });
});
