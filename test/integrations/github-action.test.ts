import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVERS } from '../../src/create/options.js';
import { actionlint, ensureActionlint } from '../support/actionlint.js';
import { createSecureFlask, SECURE_FLASK_BIN } from '../support/cli.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { FLASK_DEBUG_APP, tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

interface ActionStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface ActionMetadata {
  inputs: Record<string, { default: string; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const ACTION_TEXT = readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8');
const ACTION = parse(ACTION_TEXT) as ActionMetadata;
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

let project: TempProject | undefined;
afterEach(() => project?.remove());

describe('action.yml (the GitHub Action)', () => {
  it('has the documented interface, and its default version is this package version', () => {
    expect(ACTION.runs.using).toBe('composite');
    expect(Object.fromEntries(Object.entries(ACTION.inputs).map(([name, input]) => [name, input.default]))).toEqual({
      paths: '.',
      'fail-on-findings': 'true',
      'include-tests': 'false',
      version: PACKAGE_VERSION,
      upload: 'true',
    });
    expect(Object.keys(ACTION.outputs)).toEqual(['sarif-file']);
    expect(ACTION_TEXT).toMatch(/security-events: write/);
    expect(ACTION_TEXT).toMatch(/contents: read/);
  });

  it('runs the tool at an exact version through npx and pins every action it uses by commit SHA, version in a comment', () => {
    const check = must(ACTION.runs.steps.find((step) => step.id === 'check'));
    expect(check.run).toContain('npx --yes --package "create-secure-flask@$SECURE_FLASK_VERSION" secure-flask check');
    const uses = ACTION_TEXT.split('\n').filter((line) => /^\s*uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    expect(uses.some((line) => line.includes('github/codeql-action/upload-sarif@'))).toBe(true);
  });
});

/**
 * The check step's shell, run as the runner would (bash, GITHUB_OUTPUT) with `npx`
 * replaced by a stand-in that records its arguments and runs this build instead of
 * downloading the package.
 */
async function runCheckStep(cwd: string, inputs: { paths?: string; includeTests?: string; version?: string }) {
  const check = must(ACTION.runs.steps.find((step) => step.id === 'check'));
  const bin = must(project).write(
    '.fake-bin/npx',
    [
      '#!/usr/bin/env bash',
      'printf "%s\\n" "$*" >> "$NPX_LOG"',
      '[ "$1" = --yes ] && [ "$2" = --package ] || exit 99',
      'shift 3; [ "$1" = secure-flask ] || exit 98; shift',
      `exec "${process.execPath}" "${SECURE_FLASK_BIN}" "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(bin, 0o755);
  const output = must(project).write('.runner/output', '');
  const npxLog = must(project).write('.runner/npx.log', '');
  const sarif = join(must(project).root, '.runner', 'secure-flask.sarif');
  const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', must(check.run)], {
    cwd,
    reject: false,
    env: {
      PATH: `${join(must(project).root, '.fake-bin')}:${process.env.PATH}`,
      NO_COLOR: '1',
      GITHUB_OUTPUT: output,
      NPX_LOG: npxLog,
      SECURE_FLASK_PATHS: inputs.paths ?? must(ACTION.inputs.paths).default,
      SECURE_FLASK_INCLUDE_TESTS: inputs.includeTests ?? must(ACTION.inputs['include-tests']).default,
      SECURE_FLASK_VERSION: inputs.version ?? must(ACTION.inputs.version).default,
      SECURE_FLASK_SARIF: sarif,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout),
    npxCalls: readFileSync(npxLog, 'utf8').split('\n').filter(Boolean),
    outputs,
    sarif,
  };
}

describe('the Action check step (its real shell)', () => {
  it('findings: the text report in the log, a SARIF file as output, findings=true, the exact version to npx', async () => {
    project = tempProject();
    project.write('app.py', FLASK_DEBUG_APP);
    project.write('tests/test_app.py', 'from app import app\napp.debug = True\n');
    const step = await runCheckStep(project.root, {});
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/app\.py:4:9 +error +run-debug/);
    expect(step.outputs).toEqual({ 'sarif-file': step.sarif, findings: 'true' });
    const log = JSON.parse(readFileSync(step.sarif, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(must(log.runs[0]).results.map((result) => result.ruleId)).toEqual(['run-debug']);
    expect(step.npxCalls).toEqual([
      `--yes --package create-secure-flask@${PACKAGE_VERSION} secure-flask check --format text -- .`,
      `--yes --package create-secure-flask@${PACKAGE_VERSION} secure-flask check --format sarif --output ${step.sarif} -- .`,
    ]);
  });

  it('paths split on spaces and new lines, include-tests passes --include-tests, a clean tree gives findings=false', async () => {
    project = tempProject();
    project.write('src/app.py', 'from flask import Flask\n\napp = Flask(__name__)\n');
    project.write('deploy/.flaskenv', 'FLASK_APP=app\n');
    project.write('tests/test_app.py', 'from app import app\n');
    const step = await runCheckStep(project.root, { paths: 'src\n  deploy/.flaskenv ', includeTests: 'true' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.findings).toBe('false');
    expect(step.npxCalls[0]).toBe(
      `--yes --package create-secure-flask@${PACKAGE_VERSION} secure-flask check --format text --include-tests -- src deploy/.flaskenv`,
    );
  });

  it('a version range is refused before anything runs', async () => {
    project = tempProject();
    for (const version of ['^0.1.0', 'latest', '0.1', '>=0.1.0']) {
      const step = await runCheckStep(project.root, { version });
      expect(step.exitCode, version).toBe(2);
      expect(step.stdout).toContain("'version' must be an exact version");
      expect(step.npxCalls).toEqual([]);
    }
  });

  it('a usage error from check (a path that does not exist) fails the step', async () => {
    project = tempProject();
    const step = await runCheckStep(project.root, { paths: 'no-such-folder' });
    expect(step.exitCode).toBe(2);
    expect(step.outputs).toEqual({});
  });
});

describe('actionlint', () => {
  beforeAll(async () => {
    await ensureActionlint();
  }, 600_000);

  const WORKFLOW = (uses: string, withBlock: string) => `name: Debug guard
on:
  push:
  pull_request:
permissions:
  contents: read
  security-events: write
jobs:
  secure-flask:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0
      - id: guard
        uses: ${uses}
${withBlock}
      - run: echo "report at \${{ steps.guard.outputs.sarif-file }}"
`;

  it('accepts workflows using the Action, and reads its inputs from action.yml (a misspelled input is refused)', async () => {
    project = tempProject();
    copyFileSync(join(REPO_ROOT, 'action.yml'), join(project.root, 'action.yml'));
    const allInputs =
      "        with:\n          paths: |\n            src\n            Dockerfile\n          fail-on-findings: 'false'\n          include-tests: 'true'\n          version: " +
      PACKAGE_VERSION +
      "\n          upload: 'true'";
    project.write('.github/workflows/local.yml', WORKFLOW('./', allInputs));
    project.write(
      '.github/workflows/published.yml',
      WORKFLOW(`create-secure-flask/create-secure-flask@v${PACKAGE_VERSION}`, '        with:\n          paths: .'),
    );
    await project.git('init', '-q');
    const accepted = await actionlint(['.github/workflows/local.yml', '.github/workflows/published.yml'], project.root);
    expect(accepted.output).toBe('');
    expect(accepted.exitCode).toBe(0);

    project.write('.github/workflows/typo.yml', WORKFLOW('./', '        with:\n          fail-on-finding: false'));
    const refused = await actionlint(['.github/workflows/typo.yml'], project.root);
    expect(refused.exitCode).toBe(1);
    expect(refused.output).toMatch(/input "fail-on-finding" is not defined in action/);
  });

  it.each(SERVERS)('accepts every GitHub workflow the generator emits (--server %s)', async (server) => {
    project = tempProject();
    const generated = await createSecureFlask(
      ['svc', '--yes', '--ci', 'github', '--server', server, '--no-install', '--no-git'],
      { cwd: project.root },
    );
    expect(generated.exitCode, generated.stderr).toBe(0);
    const workflows = join(project.root, 'svc', '.github', 'workflows');
    const files = readdirSync(workflows).filter((name) => /\.ya?ml$/.test(name));
    expect(files.length).toBeGreaterThan(0);
    await project.git('init', '-q', join(project.root, 'svc'));
    const result = await actionlint(
      files.map((name) => join('.github', 'workflows', name)),
      join(project.root, 'svc'),
    );
    expect(result.output).toBe('');
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(project.root, 'svc', 'action.yml'))).toBe(false);
  });
});
