import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { actionlint, ensureActionlint } from '../support/actionlint.js';
import { SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
import { REPO_ROOT, venvBin } from '../support/python-env.js';
import { FLASK_DEBUG_APP, tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let project: TempProject;
afterEach(() => project?.remove());

// A workflow written the way people write them: 4-space jobs, unindented step lists, comments everywhere.
const WORKFLOW = `# CI for the service
name: CI
on:
  push:
    branches: [main]   # only main
  pull_request:

permissions:
  contents: read

jobs:
    test:   # the tests
        runs-on: ubuntu-latest
        steps:
        - uses: actions/checkout@v4
        - run: |
            pip install -e .
            pytest

    # lint comes later
`;

const GITLAB = `# pipeline
stages:
  - lint
  - build

variables:
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"  # keep pip's cache

lint:
  stage: lint
  image: python:3.12
  script:
    - ruff check .
`;

const PRE_COMMIT = `# hooks run on every commit
repos:
    -   repo: https://github.com/astral-sh/ruff-pre-commit
        rev: v0.6.0   # pinned
        hooks:
        -   id: ruff
`;

const initCi = (args: string[]) => secureFlask(['init-ci', ...args], { cwd: project.root });
const read = (path: string) => readFileSync(join(project.root, path), 'utf8');

/** True when `after` is `before` with lines added and none changed or removed. */
function onlyAddedLines(before: string, after: string): boolean {
  return diffLines(before, after).every((part) => !part.removed);
}

describe('secure-flask init-ci', () => {
  beforeAll(async () => {
    await ensureActionlint();
  }, 600_000);

  it('adds a job to the existing GitHub workflow: diff first, --write applies, comments and formatting kept, actionlint accepts it', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.github/workflows/ci.yml', WORKFLOW);
    const dry = await initCi([]);
    expect(dry.exitCode).toBe(1);
    expect(dry.stdout).toContain('diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml');
    expect(dry.stdout).toContain(`+          - uses: create-secure-flask/create-secure-flask@v${VERSION}`);
    expect(dry.stdout).toMatch(/\+ {10}- uses: actions\/checkout@[0-9a-f]{40} # v\d+\.\d+\.\d+/);
    expect(dry.stdout).toContain('Run with --write to apply.');
    expect(read('.github/workflows/ci.yml')).toBe(WORKFLOW);

    const written = await initCi(['--write']);
    expect(written.exitCode, written.stderr).toBe(0);
    const after = read('.github/workflows/ci.yml');
    expect(onlyAddedLines(WORKFLOW, after)).toBe(true);
    for (const comment of ['# CI for the service', '# only main', '# the tests', '# lint comes later'])
      expect(after).toContain(comment);
    const workflow = parse(after) as {
      jobs: Record<string, { permissions?: Record<string, string>; steps: { uses?: string }[] }>;
    };
    expect(Object.keys(workflow.jobs)).toEqual(['test', 'secure-flask']);
    expect(must(workflow.jobs['secure-flask']).permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    // What diff showed is what was written.
    const shownAdded = dry.stdout
      .split('\n')
      .filter((line) => line.startsWith('+') && !line.startsWith('+++'))
      .map((line) => line.slice(1));
    for (const line of shownAdded) expect(after.split('\n')).toContain(line);

    const lint = await actionlint(['.github/workflows/ci.yml'], project.root);
    expect(lint.output).toBe('');
    expect(lint.exitCode).toBe(0);
  });

  it('is idempotent: a second run finds the job and changes nothing (exit 0)', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.github/workflows/ci.yml', WORKFLOW);
    expect((await initCi(['--write'])).exitCode).toBe(0);
    const once = read('.github/workflows/ci.yml');
    for (const args of [[], ['--write']]) {
      const again = await initCi(args);
      expect(again.exitCode).toBe(0);
      expect(again.stdout).toContain('.github/workflows/ci.yml: already runs secure-flask check (job secure-flask)');
      expect(again.stdout).toContain('Nothing to change.');
    }
    expect(read('.github/workflows/ci.yml')).toBe(once);
  });

  it('picks the workflow that runs on pull requests or pushes, and a free job name', async () => {
    project = tempProject();
    await project.git('init', '-q');
    const release =
      'name: Release\non:\n  release:\n    types: [published]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo publish\n';
    const ci =
      'name: CI\non: [pull_request]\njobs:\n  secure-flask:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo unrelated\n';
    project.write('.github/workflows/a-release.yml', release);
    project.write('.github/workflows/ci.yaml', ci);
    expect((await initCi(['--write'])).exitCode).toBe(0);
    expect(read('.github/workflows/a-release.yml')).toBe(release);
    expect(Object.keys((parse(read('.github/workflows/ci.yaml')) as { jobs: object }).jobs)).toEqual([
      'secure-flask',
      'secure-flask-2',
    ]);
  });

  it('adds a job to .gitlab-ci.yml in one of its own stages, with the SARIF report as an artifact; idempotent', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.gitlab-ci.yml', GITLAB);
    const written = await initCi(['--write']);
    expect(written.exitCode, written.stderr).toBe(0);
    const after = read('.gitlab-ci.yml');
    expect(onlyAddedLines(GITLAB, after)).toBe(true);
    expect(after).toContain("# keep pip's cache");
    const pipeline = parse(after) as Record<
      string,
      { stage?: string; script?: string[]; artifacts?: { paths: string[]; reports?: Record<string, string> } }
    >;
    const job = must(pipeline['secure-flask']);
    // The file's stages have no `test`, where a job without a stage would go.
    expect(job.stage).toBe('lint');
    expect(must(job.script).join('\n')).toContain(
      `npx --yes --package create-secure-flask@${VERSION} secure-flask check --format sarif --output secure-flask.sarif`,
    );
    expect(must(job.artifacts).paths).toEqual(['secure-flask.sarif']);
    // The merge request shows the findings: the Code Quality report is uploaded, and the job's own line writes it.
    expect(must(job.artifacts).reports).toEqual({ codequality: 'gl-code-quality-report.json' });
    const reportLine = must(job.script).find((line) => line.includes('--format gitlab'));
    expect(reportLine).toBeDefined();
    project.write('app.py', FLASK_DEBUG_APP);
    const args = (reportLine ?? '').replace(/^npx --yes --package \S+ secure-flask /, '').split(' ');
    const ran = await secureFlask(args, { cwd: project.root });
    expect(ran.exitCode, ran.stderr).toBe(0);
    const issues = JSON.parse(read('gl-code-quality-report.json')) as Record<string, unknown>[];
    expect(issues).toEqual([
      expect.objectContaining({
        check_name: 'run-debug',
        severity: 'critical',
        location: { path: 'app.py', lines: { begin: 4, end: 4 } },
      }),
    ]);
    // No GitHub workflow is created for a repository whose CI is GitLab.
    expect(existsSync(join(project.root, '.github'))).toBe(false);
    const again = await initCi([]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('.gitlab-ci.yml: already runs secure-flask check (job secure-flask)');
  });

  it('adds the hook to .pre-commit-config.yaml in its own indentation; pre-commit validates the result; idempotent', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.pre-commit-config.yaml', PRE_COMMIT);
    project.write(
      '.gitlab-ci.yml',
      'test:\n  script:\n    - npx --yes --package create-secure-flask@0.1.0 secure-flask check\n',
    );
    const written = await initCi(['--write']);
    expect(written.exitCode, written.stderr).toBe(0);
    expect(written.stdout).toContain('.gitlab-ci.yml: already runs secure-flask check (job test)');
    const after = read('.pre-commit-config.yaml');
    expect(onlyAddedLines(PRE_COMMIT, after)).toBe(true);
    // Items line up with the file's own dashes.
    expect(after).toContain(
      `    - repo: https://github.com/create-secure-flask/create-secure-flask\n      rev: v${VERSION}\n`,
    );
    const validate = await execa(venvBin(python, 'pre-commit'), ['validate-config', '.pre-commit-config.yaml'], {
      cwd: project.root,
      reject: false,
      all: true,
    });
    expect(validate.exitCode, validate.all).toBe(0);
    expect((await initCi([])).stdout).toContain(
      '.pre-commit-config.yaml: already runs secure-flask check (hook secure-flask-check)',
    );
  });

  it('creates a workflow when the repository has no CI; actionlint accepts it; a second run changes nothing', async () => {
    project = tempProject();
    await project.git('init', '-q');
    const dry = await initCi([]);
    expect(dry.exitCode).toBe(1);
    expect(dry.stdout).toContain('--- /dev/null\n+++ b/.github/workflows/secure-flask.yml');
    expect(existsSync(join(project.root, '.github'))).toBe(false);
    expect((await initCi(['--write'])).exitCode).toBe(0);
    const lint = await actionlint(['.github/workflows/secure-flask.yml'], project.root);
    expect(lint.output).toBe('');
    expect(lint.exitCode).toBe(0);
    expect(read('.github/workflows/secure-flask.yml')).toContain(`create-secure-flask/create-secure-flask@v${VERSION}`);
    expect((await initCi([])).exitCode).toBe(0);
  });

  it.each([
    ['invalid YAML', 'name: CI\njobs: [\n', /^secure-flask: error: \.github\/workflows\/ci\.yml:\d+:\d+: invalid YAML/],
    [
      'a workflow that is not a mapping',
      '- name: CI\n',
      /^secure-flask: error: \.github\/workflows\/ci\.yml: a workflow must be a YAML mapping at the top level$/,
    ],
    [
      'a workflow without jobs',
      'name: CI\non: push\n',
      /^secure-flask: error: \.github\/workflows\/ci\.yml: a workflow needs a block mapping of jobs/,
    ],
  ])('%s: a one-line error, exit 2, nothing written', async (_case, workflow, message) => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.github/workflows/ci.yml', workflow);
    project.write('.pre-commit-config.yaml', PRE_COMMIT);
    const result = await initCi(['--write']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(message);
    expect(read('.github/workflows/ci.yml')).toBe(workflow);
    expect(read('.pre-commit-config.yaml')).toBe(PRE_COMMIT);
  });

  it('an unwritable file: a one-line error, exit 2, and no other file written either', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.github/workflows/ci.yml', WORKFLOW);
    project.write('.pre-commit-config.yaml', PRE_COMMIT);
    chmodSync(join(project.root, '.pre-commit-config.yaml'), 0o444);
    // Root ignores file modes; without CAP_DAC_OVERRIDE it meets them as any user does.
    const result = await execa(
      'setpriv',
      [
        '--bounding-set=-dac_override,-dac_read_search',
        '--inh-caps=-dac_override,-dac_read_search',
        process.execPath,
        SECURE_FLASK_BIN,
        'init-ci',
        '--write',
      ],
      {
        cwd: project.root,
        reject: false,
        env: { NO_COLOR: '1' },
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd()).toMatch(
      /^secure-flask init-ci: error: cannot write \.pre-commit-config\.yaml: it is read-only \(mode 0444\) \(pass --force to rewrite it\); nothing was changed$/,
    );
    expect(read('.github/workflows/ci.yml')).toBe(WORKFLOW);
    expect(read('.pre-commit-config.yaml')).toBe(PRE_COMMIT);
  });

  it('refuses a version range for the guard', async () => {
    project = tempProject();
    const result = await initCi(['--tool-version', '^0.1.0']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--tool-version must be an exact version such as 1.2.3 (got '^0.1.0')");
  });
});
