import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createSecureFlask, secureFlask } from '../support/cli.js';
import { REPO_ROOT, venvBin } from '../support/python-env.js';
import { freePort, startServer } from '../support/server.js';
import { tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');
const TOOL_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
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
  const result = await createSecureFlask([name, '--yes', '--no-install', '--no-git', ...flags], {
    cwd: workspace.root,
  });
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
      '.github/dependabot.yml',
      '.github/workflows/ci.yml',
      '.gitignore',
      '.pre-commit-config.yaml',
      'Dockerfile',
      'Procfile',
      'README.md',
      'compose.dev.yaml',
      'gunicorn.conf.py',
      'pyproject.toml',
      'requirements.txt',
      'tests/conftest.py',
      'tests/test_app.py',
      'tests/test_production_safety.py',
      'tree_check/__init__.py',
      'tree_check/config.py',
      'tree_check/errors.py',
      'tree_check/logs.py',
      'tree_check/security.py',
      'tree_check/views.py',
      'wsgi.py',
    ]);
  });

  it.each(COMBINATIONS)(
    'server=$server ci=$ci docker=$docker: its tests, Ruff (check and format), Bandit, pre-commit and secure-flask check pass',
    async ({ server, ci, docker }) => {
      const name = `combo-${server}-${ci}-${docker ? 'docker' : 'plain'}`;
      const project = await generate(name, ['--server', server, '--ci', ci, docker ? '--docker' : '--no-docker']);
      const files = fileList(project);
      expect(files.includes('gunicorn.conf.py')).toBe(server !== 'waitress');
      expect(
        files.includes('Dockerfile') && files.includes('.dockerignore') && files.includes('compose.dev.yaml'),
      ).toBe(docker);
      expect(files.includes('.github/workflows/ci.yml') && files.includes('.github/dependabot.yml')).toBe(
        ci === 'github',
      );
      expect(files.includes('.gitlab-ci.yml')).toBe(ci === 'gitlab');

      const pytest = await runPython(project, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
      expect(pytest.exitCode, pytest.all).toBe(0);
      expect(pytest.all).toMatch(/\b27 passed\b/);
      expect(pytest.all).toMatch(/Required test coverage of 90(\.0)?% reached/);
      const ruff = venvBin(python, 'ruff');
      const lint = await execa(ruff, ['check', '--no-cache', '.'], { cwd: project, reject: false, all: true });
      expect(lint.exitCode, lint.all).toBe(0);
      const format = await execa(ruff, ['format', '--check', '--no-cache', '.'], {
        cwd: project,
        reject: false,
        all: true,
      });
      expect(format.exitCode, format.all).toBe(0);
      // Bandit on everything it would ship, config and gunicorn.conf.py included; no suppression anywhere.
      const bandit = await execa(venvBin(python, 'bandit'), ['-q', '-c', 'pyproject.toml', '-r', '.'], {
        cwd: project,
        reject: false,
        all: true,
      });
      expect(bandit.exitCode, bandit.all).toBe(0);
      const pythonSources = files
        .filter((file) => file.endsWith('.py'))
        .map((file) => readFileSync(join(project, file), 'utf8'));
      expect(pythonSources.filter((source) => /# nosec|# noqa/.test(source))).toEqual([]);
      if (server !== 'waitress')
        expect(readFileSync(join(project, 'gunicorn.conf.py'), 'utf8')).toMatch(
          /os\.environ\.get\('HOST', '127\.0\.0\.1'\)/,
        );
      const precommit = await execa(venvBin(python, 'pre-commit'), ['validate-config', '.pre-commit-config.yaml'], {
        cwd: project,
        reject: false,
        all: true,
        env: cleanEnv(),
      });
      expect(precommit.exitCode, precommit.all).toBe(0);
      const hooks = parseYaml(readFileSync(join(project, '.pre-commit-config.yaml'), 'utf8')) as {
        repos: { repo: string; rev: string; hooks: { id: string }[] }[];
      };
      expect(hooks.repos).toContainEqual({
        repo: 'https://github.com/create-secure-flask/create-secure-flask',
        rev: `v${TOOL_VERSION}`,
        hooks: [{ id: 'secure-flask-check' }],
      });
      expect(hooks.repos.flatMap((repo) => repo.hooks.map((hook) => hook.id))).toEqual(
        expect.arrayContaining(['ruff-check', 'ruff-format']),
      );
      const shipped = await secureFlask(['check', '.'], { cwd: project });
      expect(shipped.exitCode, shipped.stdout).toBe(0);
      // Test code legitimately sets FLASK_DEBUG in monkeypatch calls; it must still be clean.
      const check = await secureFlask(['check', '--include-tests', '.'], { cwd: project });
      expect(check.exitCode, check.stdout).toBe(0);

      const lock = readFileSync(join(project, 'requirements.txt'), 'utf8');
      expect(lock).toMatch(/autogenerated by pip-compile/);
      expect(lock).toMatch(/^flask==3\.1\.\d+ \\$/m);
      expect(/^gunicorn==/m.test(lock)).toBe(server !== 'waitress');
      expect(/^waitress==/m.test(lock)).toBe(server !== 'gunicorn');
      const pinned = lock.split(/^(?=[a-z0-9-]+==)/m).slice(1);
      expect(pinned.length).toBeGreaterThanOrEqual(7);
      for (const block of pinned) expect(block).toMatch(/--hash=sha256:[0-9a-f]{64}/);

      const procfile = readFileSync(join(project, 'Procfile'), 'utf8');
      expect(procfile).toBe(
        server === 'waitress'
          ? 'web: waitress-serve --listen=0.0.0.0:$PORT --ident= wsgi:app\n'
          : 'web: HOST=0.0.0.0 gunicorn -c gunicorn.conf.py wsgi:app\n',
      );
      expect(readFileSync(join(project, '.env.example'), 'utf8').includes('WEB_CONCURRENCY')).toBe(
        server !== 'waitress',
      );
      if (docker) {
        const dockerfile = readFileSync(join(project, 'Dockerfile'), 'utf8');
        // Both stages from the same base image, pinned by digest (Dependabot's docker updates move it).
        expect(dockerfile.match(/^FROM .*$/gm)).toEqual([
          expect.stringMatching(/^FROM python:3\.\d+-slim@sha256:[0-9a-f]{64} AS build$/),
          expect.stringMatching(/^FROM python:3\.\d+-slim@sha256:[0-9a-f]{64}$/),
        ]);
        expect(dockerfile).toMatch(/^RUN pip install --require-hashes -r requirements\.txt$/m);
        expect(dockerfile).toMatch(/^COPY --from=build \/opt\/venv \/opt\/venv$/m);
        expect(dockerfile).toMatch(/^USER app$/m);
        expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/health/m);
        expect(dockerfile).not.toMatch(/--port=8000/);
        expect(dockerfile).toMatch(
          server === 'waitress'
            ? /^CMD \["sh", "-c", "exec waitress-serve --listen=\\"\$HOST:\$PORT\\" --ident= wsgi:app"\]$/m
            : /^CMD \["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"\]$/m,
        );
        expect(readFileSync(join(project, '.dockerignore'), 'utf8')).toMatch(/^\.env$/m);
        const compose = readFileSync(join(project, 'compose.dev.yaml'), 'utf8');
        expect(compose).toMatch(/^# DEVELOPMENT ONLY/);
        expect((parseYaml(compose) as { services: { web: { ports: string[] } } }).services.web.ports).toEqual([
          '127.0.0.1:8000:8000',
        ]);
      }
      if (ci === 'github') {
        const workflowText = readFileSync(join(project, '.github/workflows/ci.yml'), 'utf8');
        const workflow = parseYaml(workflowText) as {
          on: unknown;
          jobs: Record<
            string,
            {
              permissions?: Record<string, string>;
              strategy?: { matrix: { 'python-version': string[] } };
              steps: { uses?: string; run?: string; with?: Record<string, unknown> }[];
            }
          >;
        };
        expect(workflow.on).toBeDefined();
        expect(must(must(workflow.jobs.test).strategy).matrix['python-version']).toEqual([
          '3.10',
          '3.11',
          '3.12',
          '3.13',
        ]);
        const runs = must(workflow.jobs.test).steps.flatMap((step) => (step.run ?? '').split('\n').filter(Boolean));
        expect(runs).toEqual(
          expect.arrayContaining([
            'python -m pip install --require-hashes -r requirements.txt',
            'ruff check .',
            'ruff format --check .',
            'pytest',
          ]),
        );
        // Third-party actions by full commit SHA with the version beside it; ours at the exact version.
        const uses = [...workflowText.matchAll(/uses: (\S+)(.*)$/gm)].map(
          (match) => [must(match[1]), must(match[2])] as const,
        );
        for (const [action, comment] of uses.filter(([action]) => !action.startsWith('create-secure-flask/'))) {
          expect(action).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
          expect(comment).toMatch(/^ # v\d+\.\d+\.\d+$/);
        }
        const guard = must(workflow.jobs['debug-guard']);
        expect(guard.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
        const step = must(guard.steps.find((candidate) => candidate.uses?.startsWith('create-secure-flask/')));
        expect(step.uses).toBe(`create-secure-flask/create-secure-flask@v${TOOL_VERSION}`);
        expect(step.with).toEqual({ version: TOOL_VERSION, paths: '.', 'fail-on-findings': true, upload: true });
        const dependabot = parseYaml(readFileSync(join(project, '.github/dependabot.yml'), 'utf8')) as {
          updates: { 'package-ecosystem': string }[];
        };
        expect(dependabot.updates.map((update) => update['package-ecosystem'])).toEqual(
          docker ? ['pip', 'github-actions', 'docker'] : ['pip', 'github-actions'],
        );
      }
      if (ci === 'gitlab') {
        const pipeline = parseYaml(readFileSync(join(project, '.gitlab-ci.yml'), 'utf8')) as Record<
          string,
          { script?: string[]; artifacts?: { when: string; paths: string[]; reports?: Record<string, string> } }
        >;
        expect(must(pipeline.test).script).toEqual([
          'python -m pip install --require-hashes -r requirements.txt',
          'python -m pip install -e ".[dev]"',
          'ruff check .',
          'ruff format --check .',
          'pytest',
        ]);
        const guard = must(pipeline['debug-guard']);
        expect(guard.script).toEqual([
          `npx --yes --package create-secure-flask@${TOOL_VERSION} secure-flask check --format gitlab --output gl-code-quality-report.json --exit-zero .`,
          `npx --yes --package create-secure-flask@${TOOL_VERSION} secure-flask check --format sarif --output secure-flask.sarif --exit-zero .`,
          `npx --yes --package create-secure-flask@${TOOL_VERSION} secure-flask check .`,
        ]);
        // GitLab shows the Code Quality report in the merge request.
        expect(guard.artifacts).toEqual({
          when: 'always',
          paths: ['secure-flask.sarif'],
          reports: { codequality: 'gl-code-quality-report.json' },
        });
      }
    },
  );

  it('gunicorn workers follow the CPUs the process may use (affinity), not the host count', async () => {
    const project = await generate('workers', ['--no-docker']);
    const read =
      'import runpy; settings = runpy.run_path("gunicorn.conf.py"); print(settings["available_cpus"](), settings["workers"], settings["bind"])';
    const oneCpu = await execa('taskset', ['-c', '0', python, '-c', read], {
      cwd: project,
      env: cleanEnv(),
      extendEnv: false,
    });
    expect(oneCpu.stdout).toBe('1 3 127.0.0.1:8000');
    const fixed = await execa(python, ['-c', read], {
      cwd: project,
      env: cleanEnv({ WEB_CONCURRENCY: '5', HOST: '0.0.0.0', PORT: '9000' }),
      extendEnv: false,
    });
    expect(fixed.stdout).toMatch(/^\d+ 5 0\.0\.0\.0:9000$/);
  });

  it("gets the permissions of any new folder (the umask), not a private temp folder's", async () => {
    const project = await generate('permissions', ['--no-docker']);
    mkdirSync(join(workspace.root, 'plain-folder'));
    expect(statSync(project).mode & 0o777).toBe(statSync(join(workspace.root, 'plain-folder')).mode & 0o777);
  });

  it('keeps .env out of git, with a random SECRET_KEY per project, and .flaskenv without FLASK_DEBUG', async () => {
    const first = await generate('secret-one', []);
    const second = await generate('secret-two', []);
    const secret = (project: string) =>
      /^SECRET_KEY=([0-9a-f]{64})$/m.exec(readFileSync(join(project, '.env'), 'utf8'))?.[1];
    expect(secret(first)).toBeDefined();
    expect(secret(first)).not.toBe(secret(second));
    expect(readFileSync(join(first, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    expect(readFileSync(join(first, '.env.example'), 'utf8')).toMatch(/^SECRET_KEY=$/m);
    expect(readFileSync(join(first, '.flaskenv'), 'utf8')).not.toMatch(/FLASK_DEBUG/);
  });
});

describe('the generated project served in production', () => {
  let project: string;
  const strongKey = 'k3y-'.repeat(4) + '0123456789abcdef'.repeat(3);
  beforeAll(async () => {
    project = await generate('served', ['--server', 'both']);
    // A route that fails, added beside the app for this test only: the shipped code has none.
    writeFileSync(
      join(project, 'failing_wsgi.py'),
      'from wsgi import app\n\n\n@app.get("/fail")\ndef fail():\n    raise RuntimeError("internal detail")\n',
    );
  });

  // The same command lines as the Procfile, on loopback and a free port.
  const servers = {
    gunicorn: (port: number) => ({
      command: venvBin(python, 'gunicorn'),
      args: ['-c', 'gunicorn.conf.py', 'failing_wsgi:app'],
      env: { PORT: String(port), WEB_CONCURRENCY: '1' },
    }),
    waitress: (port: number) => ({
      command: venvBin(python, 'waitress-serve'),
      args: [`--listen=127.0.0.1:${port}`, '--ident=', 'failing_wsgi:app'],
      env: {} as Record<string, string>,
    }),
  };

  const OWASP_HEADERS = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
  };

  describe.each(Object.keys(servers) as (keyof typeof servers)[])('%s', (server) => {
    it('serves / with the OWASP header set, no HSTS over plain http, no Server header from Waitress; errors are JSON, uncached, without a traceback; 405 says Allow', async () => {
      const port = await freePort();
      const spec = servers[server](port);
      const running = await startServer(spec.command, spec.args, {
        cwd: project,
        port,
        env: cleanEnv({ ...spec.env, SECRET_KEY: strongKey }),
      });
      try {
        const index = await fetch(`${running.url}/`);
        expect(index.status).toBe(200);
        expect(await index.json()).toEqual({ service: 'served', status: 'ok' });
        for (const [name, value] of Object.entries(OWASP_HEADERS)) expect(index.headers.get(name), name).toBe(value);
        expect(index.headers.get('permissions-policy')).toMatch(/camera=\(\), geolocation=\(\)/);
        // Plain http: no HSTS (it is sent on HTTPS requests only). Gunicorn names itself; the README says
        // how to drop that at the proxy. Waitress sends nothing with --ident=.
        expect(index.headers.get('strict-transport-security')).toBeNull();
        expect(index.headers.get('server')).toBe(server === 'gunicorn' ? 'gunicorn' : null);
        expect(index.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
        expect(index.headers.get('cache-control')).toBeNull();

        const wrongMethod = await fetch(`${running.url}/health`, { method: 'DELETE' });
        expect(wrongMethod.status).toBe(405);
        expect(
          wrongMethod.headers
            .get('allow')
            ?.split(',')
            .map((method) => method.trim())
            .sort(),
        ).toEqual(['GET', 'HEAD', 'OPTIONS']);
        expect(await wrongMethod.json()).toEqual({ error: 'Method Not Allowed', status: 405 });
        expect(wrongMethod.headers.get('cache-control')).toBe('no-store');

        const missing = await fetch(`${running.url}/missing`);
        expect(missing.status).toBe(404);
        expect(missing.headers.get('cache-control')).toBe('no-store');
        const failing = await fetch(`${running.url}/fail`);
        expect(failing.status).toBe(500);
        expect(failing.headers.get('cache-control')).toBe('no-store');
        expect(failing.headers.get('content-security-policy')).toBe(OWASP_HEADERS['content-security-policy']);
        const body = await failing.text();
        expect(body).not.toMatch(/Traceback|internal detail|__debugger__|Werkzeug/);
        const console = await fetch(`${running.url}/console`);
        expect(console.status).toBe(404);
        const resource = await fetch(`${running.url}/fail?__debugger__=yes&cmd=resource&f=debugger.js`);
        expect(await resource.text()).not.toMatch(/Werkzeug|debugger/i);
      } finally {
        await running.stop();
      }
      // One access-log line per request on stdout, tagged with its request id, under either server.
      expect(running.output()).toMatch(/INFO \[[0-9a-f]{32}\] served\.access: DELETE \/health 405 /);
    });

    it('refuses to start with FLASK_DEBUG=1 in production, naming the variable', async () => {
      const port = await freePort();
      const spec = servers[server](port);
      const result = await execa(spec.command, spec.args, {
        cwd: project,
        env: cleanEnv({ ...spec.env, SECRET_KEY: strongKey, FLASK_DEBUG: '1' }),
        extendEnv: false,
        reject: false,
        all: true,
        timeout: 30_000,
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.timedOut).toBe(false);
      expect(result.all).toMatch(/FLASK_DEBUG=1 is set while APP_ENV is production/);
    });

    it.each([
      ['no SECRET_KEY', undefined, /SECRET_KEY is not set/],
      [
        'the placeholder the docs once printed',
        '...',
        /SECRET_KEY is too weak for production \(3 characters, 1 different\): it needs at least 50 characters and 5 different ones/,
      ],
      [
        'a long key of one character',
        'x'.repeat(64),
        /SECRET_KEY is too weak for production \(64 characters, 1 different\)/,
      ],
    ])('refuses to start with %s, saying the rule', async (_case, secretKey, message) => {
      const port = await freePort();
      const spec = servers[server](port);
      const env = cleanEnv({ ...spec.env, ...(secretKey === undefined ? {} : { SECRET_KEY: secretKey }) });
      const result = await execa(spec.command, spec.args, {
        cwd: project,
        env,
        extendEnv: false,
        reject: false,
        all: true,
        timeout: 30_000,
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.timedOut).toBe(false);
      expect(result.all).toMatch(message);
    });
  });
});

describe('create-secure-flask with real post steps', () => {
  it('git init with a first commit, a .venv with the project installed, and its tests passing there', async () => {
    const result = await createSecureFlask(['installed', '--yes', '--python', python], {
      cwd: workspace.root,
      env: { HOME: workspace.root },
    });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const project = join(workspace.root, 'installed');
    expect(result.stdout).toMatch(/Git repository\.\.\.\n {2}done: initialized with a first commit/);
    expect(result.stdout).toMatch(/Next steps:\n {2}cd installed\n {2}\. \.venv\/bin\/activate\n {2}flask run --debug/);
    const log = await execa('git', ['log', '--oneline'], { cwd: project });
    expect(log.stdout).toMatch(/Initial commit from create-secure-flask/);
    const tracked = (await execa('git', ['ls-files'], { cwd: project })).stdout.split('\n');
    expect(tracked).not.toContain('.env');
    expect(tracked).toContain('.env.example');
    const pytest = await execa(join(project, '.venv', 'bin', 'pytest'), ['-q', '-p', 'no:cacheprovider'], {
      cwd: project,
      env: cleanEnv(),
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(pytest.exitCode, pytest.all).toBe(0);
    // The lock installed, hashes checked, into this real venv: every pin is what the venv has.
    const installedVersions = JSON.parse(
      (
        await execa(join(project, '.venv', 'bin', 'python'), ['-m', 'pip', 'list', '--format', 'json'], {
          cwd: project,
        })
      ).stdout,
    ) as { name: string; version: string }[];
    const versions = new Map(
      installedVersions.map((entry) => [entry.name.toLowerCase().replace(/_/g, '-'), entry.version]),
    );
    const pins = [...readFileSync(join(project, 'requirements.txt'), 'utf8').matchAll(/^([a-z0-9-]+)==(\S+) \\$/gm)];
    expect(pins.length).toBeGreaterThanOrEqual(7);
    for (const [, name, version] of pins) expect(versions.get(must(name)), name).toBe(version);
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
      expect(readdirSync(folder.root).filter((name) => name.includes('.create-secure-flask-'))).toEqual([]);
    } finally {
      folder.remove();
    }
  });

  it("--force writes beside existing files but never over them, keeping the user's on a clash", async () => {
    const folder = tempProject('secure-flask-force-');
    try {
      folder.write('existing/notes.txt', 'keep me\n');
      const ok = await createSecureFlask(['existing', '--force', '--yes', '--no-install', '--no-git'], {
        cwd: folder.root,
      });
      expect(ok.exitCode).toBe(0);
      expect(readFileSync(join(folder.root, 'existing', 'notes.txt'), 'utf8')).toBe('keep me\n');
      expect(existsSync(join(folder.root, 'existing', 'wsgi.py'))).toBe(true);

      folder.write('clash/README.md', 'my readme\n');
      const clash = await createSecureFlask(['clash', '--force', '--yes', '--no-install', '--no-git'], {
        cwd: folder.root,
      });
      expect(clash.exitCode).toBe(0);
      expect(clash.stdout).toMatch(/Kept your README\.md: the generated one was not written/);
      expect(readFileSync(join(folder.root, 'clash', 'README.md'), 'utf8')).toBe('my readme\n');
      expect(readdirSync(folder.root).filter((name) => name.includes('.create-secure-flask-'))).toEqual([]);
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
