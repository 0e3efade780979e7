import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { actionlint, ensureActionlint, TEST_TOOL_CACHE } from '../support/actionlint.js';
import { createSecureFlask, secureFlask } from '../support/cli.js';
import { venvBin } from '../support/python-env.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

const python = inject('python');
/** Real uv, from PyPI into the test virtualenv (test/python/requirements.txt pins it). */
const uv = () => venvBin(python, 'uv');
let workspace: TempProject;
beforeAll(async () => {
  workspace = tempProject('secure-flask-uv-');
  await ensureActionlint();
}, 600_000);
afterAll(() => workspace.remove());

/**
 * Nothing from this machine's shell; uv finds the test Python and never downloads one, and
 * keeps its package cache across runs (the first run needs PyPI, as the test venv does).
 */
function uvEnv(extra: Record<string, string> = {}): Record<string, string> {
  // How this machine reaches PyPI (a proxy, its certificates) is all that is taken from it.
  const network = Object.entries(process.env).filter(
    (entry): entry is [string, string] =>
      /^(SSL_CERT_(FILE|DIR)|(HTTPS?|ALL|NO)_PROXY|UV_INDEX_URL|UV_DEFAULT_INDEX)$/i.test(entry[0]) &&
      entry[1] !== undefined,
  );
  return {
    ...Object.fromEntries(network),
    PATH: `${dirname(uv())}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: workspace.root,
    LANG: 'C.UTF-8',
    UV_PYTHON: python,
    UV_PYTHON_DOWNLOADS: 'never',
    UV_CACHE_DIR: join(TEST_TOOL_CACHE, 'uv-cache'),
    ...extra,
  };
}

const runUv = (project: string, args: string[]) =>
  execa(uv(), args, { cwd: project, env: uvEnv(), extendEnv: false, reject: false, all: true, timeout: 600_000 });

async function generate(name: string, flags: string[]): Promise<string> {
  const result = await createSecureFlask(
    [name, '--yes', '--no-install', '--no-git', '--package-manager', 'uv', ...flags],
    { cwd: workspace.root },
  );
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return join(workspace.root, name);
}

describe('a project generated with --package-manager uv', () => {
  it.each([
    { server: 'gunicorn', ci: 'github' },
    { server: 'waitress', ci: 'gitlab' },
    { server: 'both', ci: 'github' },
  ])(
    'server=$server ci=$ci: uv.lock matches pyproject.toml, and `uv run` passes its tests, Ruff and secure-flask check',
    async ({ server, ci }) => {
      const project = await generate(`uv-${server}`, ['--server', server, '--ci', ci]);
      expect(existsSync(join(project, 'requirements.txt'))).toBe(false);
      const pyproject = readFileSync(join(project, 'pyproject.toml'), 'utf8');
      expect(pyproject).toMatch(/^\[dependency-groups\]\n(?:#.*\n)*dev = \[/m);
      expect(pyproject).not.toMatch(/pip-tools|optional-dependencies/);

      // The lock is uv's own: `uv lock --check` fails when it does not match pyproject.toml.
      const check = await runUv(project, ['lock', '--check']);
      expect(check.exitCode, check.all).toBe(0);
      const lock = readFileSync(join(project, 'uv.lock'), 'utf8');
      expect(lock).toMatch(
        new RegExp(`^name = "uv-${server}"\\nversion = "0\\.1\\.0"\\nsource = \\{ editable = "\\." \\}$`, 'm'),
      );
      expect(/^name = "gunicorn"$/m.test(lock)).toBe(server !== 'waitress');
      expect(/^name = "waitress"$/m.test(lock)).toBe(server !== 'gunicorn');

      const sync = await runUv(project, ['sync', '--locked']);
      expect(sync.exitCode, sync.all).toBe(0);
      const pytest = await runUv(project, ['run', '--no-sync', 'pytest', '-q', '-p', 'no:cacheprovider']);
      expect(pytest.exitCode, pytest.all).toBe(0);
      expect(pytest.all).toMatch(/\b27 passed\b/);
      for (const args of [
        ['ruff', 'check', '--no-cache', '.'],
        ['ruff', 'format', '--check', '--no-cache', '.'],
      ]) {
        const ruff = await runUv(project, ['run', '--no-sync', ...args]);
        expect(ruff.exitCode, ruff.all).toBe(0);
      }
      const guard = await secureFlask(['check', '--include-tests', '.'], { cwd: project });
      expect(guard.exitCode, guard.stdout).toBe(0);

      const dockerfile = readFileSync(join(project, 'Dockerfile'), 'utf8');
      expect(dockerfile.match(/^FROM .*$/gm)).toEqual([
        expect.stringMatching(/^FROM ghcr\.io\/astral-sh\/uv:[\d.]+@sha256:[0-9a-f]{64} AS uv$/),
        expect.stringMatching(/^FROM python:3\.\d+-slim@sha256:[0-9a-f]{64} AS build$/),
        expect.stringMatching(/^FROM python:3\.\d+-slim@sha256:[0-9a-f]{64}$/),
      ]);
      expect(dockerfile).toMatch(/^RUN uv sync --frozen --no-dev --no-install-project$/m);
      expect(dockerfile).toMatch(/^RUN uv sync --frozen --no-dev --no-editable$/m);
      expect(dockerfile).toMatch(/^COPY --from=build \/opt\/venv \/opt\/venv$/m);
      expect(dockerfile).toMatch(/^USER app$/m);
      expect(dockerfile).not.toMatch(/pip install|requirements\.txt/);

      const readme = readFileSync(join(project, 'README.md'), 'utf8');
      expect(readme).toMatch(/^uv sync$/m);
      expect(readme).toMatch(/^uv run pytest /m);
      expect(readme).not.toMatch(/pip-compile|pip install|requirements\.txt/);

      if (ci === 'github') {
        const workflowText = readFileSync(join(project, '.github/workflows/ci.yml'), 'utf8');
        const workflow = parseYaml(workflowText) as {
          jobs: { test: { steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] } };
        };
        const steps = workflow.jobs.test.steps;
        const setupUv = steps.find((step) => step.uses?.startsWith('astral-sh/setup-uv@'));
        expect(setupUv?.uses).toMatch(/^astral-sh\/setup-uv@[0-9a-f]{40}$/);
        expect(workflowText).toMatch(/uses: astral-sh\/setup-uv@[0-9a-f]{40} # v\d+\.\d+\.\d+$/m);
        expect(steps.map((step) => step.run).filter(Boolean)).toEqual([
          'uv sync --locked',
          'uv run ruff check .',
          'uv run ruff format --check .',
          'uv run pytest',
        ]);
        expect(workflowText).not.toMatch(/setup-python|pip install/);
        const lint = await actionlint(['.github/workflows/ci.yml'], project);
        expect(lint.output).toBe('');
        expect(lint.exitCode).toBe(0);
        const dependabot = parseYaml(readFileSync(join(project, '.github/dependabot.yml'), 'utf8')) as {
          updates: { 'package-ecosystem': string }[];
        };
        expect(dependabot.updates.map((update) => update['package-ecosystem'])).toEqual([
          'uv',
          'github-actions',
          'docker',
        ]);
      } else {
        const pipeline = parseYaml(readFileSync(join(project, '.gitlab-ci.yml'), 'utf8')) as Record<
          string,
          { script?: string[] }
        >;
        expect(pipeline.test?.script).toEqual([
          expect.stringMatching(/^python -m pip install --root-user-action=ignore uv==\d+\.\d+\.\d+$/),
          'uv sync --locked',
          'uv run ruff check .',
          'uv run ruff format --check .',
          'uv run pytest',
        ]);
      }
    },
    600_000,
  );

  it('a stale lock is caught: `uv sync --locked` (what CI runs) fails after a dependency changes in pyproject.toml alone', async () => {
    const project = await generate('uv-stale', ['--ci', 'none', '--no-docker']);
    const pyproject = join(project, 'pyproject.toml');
    const edited = readFileSync(pyproject, 'utf8').replace(
      '"flask>=3.1,<3.2",',
      '"flask>=3.1,<3.2",\n    "itsdangerous>=2.2",',
    );
    writeFileSync(pyproject, edited);
    const sync = await runUv(project, ['sync', '--locked']);
    expect(sync.exitCode).not.toBe(0);
    expect(sync.all).toMatch(/lockfile at `uv\.lock` needs to be updated/);
  }, 600_000);

  it('--install runs `uv sync --locked` with the chosen Python: .venv has the project and its tests pass there', async () => {
    const result = await createSecureFlask(
      ['uv-installed', '--yes', '--no-git', '--package-manager', 'uv', '--python', python],
      { cwd: workspace.root, env: uvEnv() },
    );
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Next steps:\n {2}cd uv-installed\n {2}uv run flask run --debug/);
    expect(result.stdout).not.toMatch(/activate/);
    const project = join(workspace.root, 'uv-installed');
    const pytest = await execa(join(project, '.venv', 'bin', 'pytest'), ['-q', '-p', 'no:cacheprovider'], {
      cwd: project,
      env: uvEnv(),
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(pytest.exitCode, pytest.all).toBe(0);
  }, 600_000);

  it('without uv on PATH, --install is refused before anything is written', async () => {
    const result = await createSecureFlask(
      ['uv-missing', '--yes', '--no-git', '--package-manager', 'uv', '--python', python],
      {
        cwd: workspace.root,
        env: { PATH: '/nonexistent' },
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/uv was not found; install it .*or pass --package-manager pip or --no-install/);
    expect(existsSync(join(workspace.root, 'uv-missing'))).toBe(false);
  });

  it('--package-manager takes only pip or uv', async () => {
    const result = await createSecureFlask(
      ['bad-pm', '--yes', '--no-install', '--no-git', '--package-manager', 'poetry'],
      { cwd: workspace.root },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(
      "create-secure-flask: error: --package-manager must be one of pip, uv (got 'poetry')",
    );
  });
});
