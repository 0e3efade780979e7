import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { RULES } from '../../codemods/index.js';
import { runCheck } from '../../src/check/run-check.js';
import { secureFlask } from '../support/cli.js';
import { REPO_ROOT, venvBin } from '../support/python-env.js';
import { FLASK_DEBUG_APP, tempProject, type TempProject } from '../support/temp-project.js';

// The flags, config and habits of Ruff, Bandit and Semgrep users (issue: where they already work).
const python = inject('python');
let project: TempProject;
afterEach(() => project?.remove());

const DEBUG_ATTRIBUTE_APP = 'from flask import Flask\napp = Flask(__name__)\napp.debug = True\n';

function twoRuleProject(): TempProject {
  const created = tempProject();
  created.write('app.py', FLASK_DEBUG_APP);
  created.write('admin.py', DEBUG_ATTRIBUTE_APP);
  created.write('.flaskenv', 'FLASK_DEBUG=1\n');
  return created;
}

const ruleIdsOf = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { ruleId: string }[] }).findings.map((finding) => finding.ruleId).sort();

describe('flags Ruff and Bandit users reach for', () => {
  it('--exit-zero: findings are still reported, the exit code is 0; usage errors still exit 2', async () => {
    project = twoRuleProject();
    const result = await secureFlask(['check', '--exit-zero'], { cwd: project.root });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/3 findings in 3 files/);
    expect((await secureFlask(['check', '--exit-zero', 'missing.py'], { cwd: project.root })).exitCode).toBe(2);
  });

  it('--select and --ignore take comma-separated rule ids; an unknown id is an error listing the valid ones', async () => {
    project = twoRuleProject();
    const selected = await secureFlask(['check', '--format', 'json', '--select', 'run-debug,env-file-debug'], {
      cwd: project.root,
    });
    expect(ruleIdsOf(selected.stdout)).toEqual(['env-file-debug', 'run-debug']);
    const ignored = await secureFlask(
      ['check', '--format', 'json', '--ignore', 'run-debug', '--ignore', 'env-file-debug'],
      { cwd: project.root },
    );
    expect(ruleIdsOf(ignored.stdout)).toEqual(['app-debug-attribute']);
    const unknown = await secureFlask(['check', '--select', 'run-debug,S201'], { cwd: project.root });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain("--select: unknown rule 'S201' (valid: run-debug, socketio-run-debug,");
  });

  it('select and ignore in the config; --select on the command line wins over both', async () => {
    project = twoRuleProject();
    project.write(
      '.secure-flask.json',
      JSON.stringify({ select: ['run-debug', 'app-debug-attribute'], ignore: ['app-debug-attribute'] }),
    );
    expect(ruleIdsOf((await secureFlask(['check', '--format', 'json'], { cwd: project.root })).stdout)).toEqual([
      'run-debug',
    ]);
    expect(
      ruleIdsOf(
        (await secureFlask(['check', '--format', 'json', '--select', 'app-debug-attribute'], { cwd: project.root }))
          .stdout,
      ),
    ).toEqual(['app-debug-attribute']);
  });

  it('the engine runs the catalog it is given: a one-rule catalog finds only that rule', async () => {
    project = twoRuleProject();
    const runDebug = RULES.find((rule) => rule.id === 'run-debug');
    expect(runDebug).toBeDefined();
    const report = await runCheck({
      paths: ['.'],
      includeTests: false,
      cwd: project.root,
      jobs: 1,
      catalog: runDebug ? [runDebug] : [],
    });
    expect(report.findings.map((finding) => finding.ruleId)).toEqual(['run-debug']);
    expect(report.rules.map((rule) => rule.id)).toEqual(['run-debug']);
    // --select chooses from that catalog, so a rule outside it is unknown.
    await expect(
      runCheck({
        paths: ['.'],
        includeTests: false,
        cwd: project.root,
        jobs: 1,
        catalog: runDebug ? [runDebug] : [],
        select: ['env-file-debug'],
      }),
    ).rejects.toThrow(/unknown rule 'env-file-debug' \(valid: run-debug\)/);
  });

  it('--exclude replaces the config exclude, --extend-exclude adds to it (gitignore-style)', async () => {
    project = twoRuleProject();
    project.write('legacy/old.py', FLASK_DEBUG_APP);
    project.write('.secure-flask.json', JSON.stringify({ exclude: ['legacy/'] }));
    const paths = async (args: string[]) =>
      (
        JSON.parse((await secureFlask(['check', '--format', 'json', ...args], { cwd: project.root })).stdout) as {
          findings: { path: string }[];
        }
      ).findings
        .map((f) => f.path)
        .sort();
    expect(await paths([])).toEqual(['.flaskenv', 'admin.py', 'app.py']);
    expect(await paths(['--extend-exclude', '*.flaskenv,admin.py'])).toEqual(['app.py']);
    expect(await paths(['--exclude', 'app.py'])).toEqual(['.flaskenv', 'admin.py', 'legacy/old.py']);
  });

  it('--quiet prints the findings and nothing else; nothing at all when clean', async () => {
    project = twoRuleProject();
    const noisy = await secureFlask(['check', '--quiet'], { cwd: project.root });
    expect(noisy.exitCode).toBe(1);
    expect(noisy.stdout).toContain('app.py:4:9  error  run-debug');
    expect(noisy.stdout).not.toMatch(/findings in|checked|secure-flask explain/);
    project.write('app.py', 'print("hello")\n');
    project.write('admin.py', 'print("hello")\n');
    project.write('.flaskenv', 'FLASK_APP=app\n');
    const clean = await secureFlask(['check', '-q'], { cwd: project.root });
    expect(clean).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('--statistics prints the count per rule, most first', async () => {
    project = twoRuleProject();
    project.write('second.py', FLASK_DEBUG_APP);
    const result = await secureFlask(['check', '--statistics'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    expect(
      result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(/\s+/).slice(0, 2).join(' ')),
    ).toEqual(['2 run-debug', '1 app-debug-attribute', '1 env-file-debug']);
  });

  it('--stdin-filename checks standard input as that file of the project, not what is on disk', async () => {
    project = twoRuleProject();
    const piped = await execa(
      process.execPath,
      [join(REPO_ROOT, 'dist', 'bin', 'secure-flask.js'), 'check', '--format', 'json', '--stdin-filename', 'admin.py'],
      {
        cwd: project.root,
        input: FLASK_DEBUG_APP,
        reject: false,
        env: { NO_COLOR: '1' },
      },
    );
    expect(piped.exitCode).toBe(1);
    const findings = (JSON.parse(piped.stdout) as { findings: { ruleId: string; path: string; line: number }[] })
      .findings;
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'run-debug', path: 'admin.py', line: 4 })]);
    const clean = await execa(
      process.execPath,
      [join(REPO_ROOT, 'dist', 'bin', 'secure-flask.js'), 'check', '--stdin-filename', 'app.py'],
      { cwd: project.root, input: 'print(1)\n', reject: false },
    );
    expect(clean.exitCode).toBe(0);
  });
});

describe('[tool.secure-flask] in pyproject.toml', () => {
  it('a Ruff-style pyproject.toml keeps working for Ruff and for us', async () => {
    project = tempProject();
    cpSync(join(REPO_ROOT, 'fixtures', 'config', 'ruff-style-pyproject'), project.root, { recursive: true });
    const ours = await secureFlask(['check', '--format', 'json'], { cwd: project.root });
    const report = JSON.parse(ours.stdout) as {
      findings: { ruleId: string; path: string }[];
      summary: { suppressedByOtherTools: Record<string, number>; disabledRules: string[] };
    };
    // legacy/ is excluded and env-file-debug ignored by [tool.secure-flask]; the reviewed noqa line is suppressed.
    expect(report.findings.map((f) => `${f.path} ${f.ruleId}`)).toEqual(['src/inventory/app.py run-debug']);
    expect(report.summary.suppressedByOtherTools).toEqual({ noqa: 1 });
    expect(report.summary.disabledRules).toEqual(['env-file-debug']);
    // Ruff reads the same file with our table in it, and agrees on which lines are findings.
    const ruff = await execa(
      venvBin(python, 'ruff'),
      ['check', '--no-cache', '--output-format', 'concise', '--select', 'S201', '.'],
      { cwd: project.root, reject: false, all: true },
    );
    expect(ruff.all).toContain('src/inventory/app.py:4:');
    expect(ruff.all).not.toContain('reviewed.py');
    expect(ruff.all).not.toMatch(/unknown field|TOML parse error/i);
  });

  it('the nearest pyproject.toml with our table wins, and its patterns are relative to it', async () => {
    project = twoRuleProject();
    project.write('.git/HEAD', 'ref: refs/heads/main\n');
    project.write('pyproject.toml', '[tool.secure-flask]\nignore = ["run-debug"]\n');
    project.write(
      'services/api/pyproject.toml',
      '[tool.ruff]\nline-length = 100\n\n[tool.secure-flask]\nexclude = ["generated"]\n',
    );
    project.write('services/api/app.py', FLASK_DEBUG_APP);
    project.write('services/api/generated/app.py', FLASK_DEBUG_APP);
    project.write('generated/app.py', DEBUG_ATTRIBUTE_APP);
    const inService = await secureFlask(['check', '--format', 'json', 'services/api'], { cwd: project.root });
    expect((JSON.parse(inService.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path)).toEqual([
      'services/api/app.py',
    ]);
    const atRoot = await secureFlask(['check', '--format', 'json'], { cwd: project.root });
    expect(ruleIdsOf(atRoot.stdout)).not.toContain('run-debug');
  });

  it('--config names the file to read; a broken or conflicting config is a one-line error naming the files', async () => {
    project = twoRuleProject();
    project.write('ci/secure-flask.toml', 'select = ["env-file-debug"]\n');
    expect(
      ruleIdsOf(
        (await secureFlask(['check', '--format', 'json', '--config', 'ci/secure-flask.toml'], { cwd: project.root }))
          .stdout,
      ),
    ).toEqual(['env-file-debug']);
    project.write('pyproject.toml', '[tool.secure-flask]\nignore = ["run-debug"\n');
    const broken = await secureFlask(['check'], { cwd: project.root });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/^secure-flask: error: pyproject\.toml: not valid TOML at line \d+/);
    project.write('pyproject.toml', '[tool.secure-flask]\nignore = ["run-debug"]\n');
    project.write('.secure-flask.json', JSON.stringify({ ignore: ['env-file-debug'] }));
    const conflict = await secureFlask(['check'], { cwd: project.root });
    expect(conflict.exitCode).toBe(2);
    expect(conflict.stderr.trim()).toBe(
      "secure-flask: error: 'ignore' is set differently in .secure-flask.json and pyproject.toml [tool.secure-flask]: keep it in one of them",
    );
    project.write('.secure-flask.json', JSON.stringify({ ignore: ['run-debug'] }));
    expect((await secureFlask(['check'], { cwd: project.root })).exitCode).toBe(1);
    project.write('pyproject.toml', '[tool.secure-flask]\nignore = ["run-debug"]\nselcet = ["x"]\n');
    expect((await secureFlask(['check'], { cwd: project.root })).stderr).toContain("unknown key 'selcet'");
    expect(readFileSync(join(project.root, 'pyproject.toml'), 'utf8')).toContain('selcet'); // read, never rewritten
  });
});
