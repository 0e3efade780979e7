import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { venvBin } from '../support/python-env.js';
import { committedProject, FLASK_DEBUG_APP, tempProject, type TempProject } from '../support/temp-project.js';

const python = inject('python');
let project: TempProject;
afterEach(() => project?.remove());

interface JsonReport {
  findings: { ruleId: string; path: string; line: number; fingerprint: string }[];
  summary: { suppressed: number; suppressedByOtherTools: Record<string, number>; baselined?: number };
}
const json = (stdout: string) => JSON.parse(stdout) as JsonReport;
const lines = (report: JsonReport) =>
  report.findings.map((finding) => `${finding.path}:${finding.line} ${finding.ruleId}`);

describe('suppressions people already wrote for Ruff, Bandit and Semgrep', () => {
  const SOURCE = [
    'from flask import Flask',
    'app = Flask(__name__)',
    'app.run(debug=True)  # noqa: S201',
    'app.run(debug=True)  # nosec B201',
    'app.run(debug=True)  # nosec',
    'app.run(debug=True)  # noqa: E501,S201',
    'app.run(debug=True)  # noqa',
    'app.run(debug=True)  # noqa: S101',
    'app.run(debug=True)  # nosemgrep: python.flask.security.audit.debug-enabled.debug-enabled',
    'app.debug = True  # nosec',
    'app.run(debug=True)  # nosec, this is never called in production',
    'app.run(debug=True)  # nosec B101 - not this one',
    'app.run(debug=True)  # secure-flask: ignore[run-debug]',
    '',
  ].join('\n');

  it('suppress the equivalent rule, counted apart from ours; a bare noqa or a rule with no Bandit twin is not', async () => {
    project = tempProject();
    project.write('app.py', SOURCE);
    const result = await secureFlask(['check', '--format', 'json'], { cwd: project.root });
    const report = json(result.stdout);
    // Line 7: a bare `# noqa` is a style linter's blanket; line 8: another Ruff code; line 10: Bandit has no app.debug
    // rule; line 11: words that are no Bandit test leave a bare `# nosec`; line 12: another Bandit test.
    expect(lines(report)).toEqual([
      'app.py:7 run-debug',
      'app.py:8 run-debug',
      'app.py:10 app-debug-attribute',
      'app.py:12 run-debug',
    ]);
    expect(report.summary.suppressed).toBe(1);
    expect(report.summary.suppressedByOtherTools).toEqual({ noqa: 2, nosec: 3, nosemgrep: 1 });
    const text = await secureFlask(['check'], { cwd: project.root });
    expect(text.stdout).toMatch(/1 suppressed by comments; 2 by # noqa, 3 by # nosec, 1 by # nosemgrep/);
  });

  it('the lines Ruff and Bandit themselves leave alone are the ones we leave alone', async () => {
    project = tempProject();
    project.write('app.py', SOURCE);
    const ruff = await execa(
      venvBin(python, 'ruff'),
      ['check', '--no-cache', '--output-format', 'concise', '--select', 'S201', 'app.py'],
      { cwd: project.root, reject: false, all: true },
    );
    const ruffLines = [...ruff.all.matchAll(/app\.py:(\d+):/g)].map((match) => Number(match[1]));
    const bandit = await execa(venvBin(python, 'bandit'), ['-q', '-t', 'B201', '-f', 'json', 'app.py'], {
      cwd: project.root,
      reject: false,
    });
    const banditLines = (JSON.parse(bandit.stdout) as { results: { line_number: number }[] }).results.map(
      (result) => result.line_number,
    );
    const ours = lines(json((await secureFlask(['check', '--format', 'json'], { cwd: project.root })).stdout));
    // Each tool's own comment silences it; ours honours both tools' comments.
    for (const line of [3, 6]) expect(ruffLines).not.toContain(line);
    for (const line of [4, 5, 11]) expect(banditLines).not.toContain(line);
    for (const line of [3, 4, 5, 6, 11]) expect(ours).not.toContain(`app.py:${line} run-debug`);
    // A bare `# noqa` silences Ruff on its line (7), and Bandit does not read it: a blanket written for
    // style linters is not a security decision, so we report that line (and say so in the README).
    expect(ruffLines).not.toContain(7);
    expect(banditLines).toContain(7);
    expect(ours).toContain('app.py:7 run-debug');
    // What both tools still report, we report too, but for the lines with Semgrep's comment (9) and ours (13).
    const bothReport = ruffLines.filter((line) => banditLines.includes(line) && line !== 9 && line !== 13);
    expect(bothReport).toEqual([8, 12]);
    for (const line of bothReport) expect(ours).toContain(`app.py:${line} run-debug`);
  });

  it('a secure-flask: ignore comment that suppresses nothing is a warning, not a failure', async () => {
    project = tempProject();
    project.write(
      'app.py',
      'from flask import Flask\napp = Flask(__name__)\napp.run()  # secure-flask: ignore[run-debug]\napp.debug = True  # secure-flask: ignore[app-debug-attribute, run-debug]\n',
    );
    const result = await secureFlask(['check'], { cwd: project.root });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      'warning: app.py:3: secure-flask: ignore[run-debug] suppresses nothing on this line (remove it)',
    );
    expect(result.stderr).toContain(
      'warning: app.py:4: secure-flask: ignore[run-debug] suppresses nothing on this line',
    );
    expect(result.stderr).not.toContain('app-debug-attribute] suppresses');
    // A rule the run does not use cannot be judged: no warning.
    const ignored = await secureFlask(['check', '--ignore', 'run-debug'], { cwd: project.root });
    expect(ignored.stderr).toBe('');
  });
});

describe('baselines: only new findings', () => {
  it('--baseline FILE: known findings stay known when lines move; a new one is reported', async () => {
    project = tempProject();
    project.write('app.py', FLASK_DEBUG_APP);
    project.write('.flaskenv', 'FLASK_DEBUG=1\n');
    const first = await secureFlask(['check', '--format', 'json', '--output', 'baseline.json'], { cwd: project.root });
    expect(first.exitCode).toBe(1);
    // Code added above both findings, and a second debug run written.
    project.write('app.py', `"""Inventory."""\nimport os\n\n${FLASK_DEBUG_APP}app.run(debug=True, port=5001)\n`);
    project.write('.flaskenv', 'FLASK_APP=app\n\nFLASK_DEBUG=1\n');
    const next = await secureFlask(['check', '--format', 'json', '--baseline', 'baseline.json'], { cwd: project.root });
    expect(next.exitCode).toBe(1);
    expect(lines(json(next.stdout))).toEqual(['app.py:8 run-debug']);
    expect(json(next.stdout).summary.baselined).toBe(2);
    // Named in the config, as Ruff and Bandit users keep it.
    project.write('pyproject.toml', '[tool.secure-flask]\nbaseline = "baseline.json"\n');
    const fromConfig = await secureFlask(['check'], { cwd: project.root });
    expect(fromConfig.stdout).toMatch(/1 finding in 1 file\. .*2 already in the baseline/);
    const sarif = JSON.parse((await secureFlask(['check', '--format', 'sarif'], { cwd: project.root })).stdout) as {
      runs: { results: { partialFingerprints: Record<string, string> }[] }[];
    };
    expect(sarif.runs[0]?.results.map((result) => result.partialFingerprints['secureFlaskFindingHash/v1'])).toEqual(
      json(next.stdout).findings.map((f) => f.fingerprint),
    );
  });

  it('--baseline with a file that is not a report is a one-line error', async () => {
    project = tempProject();
    project.write('app.py', FLASK_DEBUG_APP);
    project.write('notes.json', '{"hello": 1}');
    for (const file of ['notes.json', 'missing.json']) {
      const result = await secureFlask(['check', '--baseline', file], { cwd: project.root });
      expect(result.exitCode).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('--baseline-ref REF: only findings introduced since that commit; the working tree and index are untouched', async () => {
    project = await committedProject({ 'app.py': FLASK_DEBUG_APP, 'web/.flaskenv': 'FLASK_DEBUG=1\n' });
    project.write('app.py', `import os\n\n${FLASK_DEBUG_APP}app.debug = True\n`);
    project.write('Dockerfile', 'FROM python:3.12\nENV FLASK_DEBUG=1\nCMD ["gunicorn", "app:app"]\n');
    await project.git('add', 'Dockerfile'); // staged, not committed
    const status = async () =>
      (await execa('git', ['status', '--porcelain=v1', '--untracked-files=all'], { cwd: project.root })).stdout;
    const before = await status();
    const result = await secureFlask(['check', '--format', 'json', '--baseline-ref', 'HEAD'], { cwd: project.root });
    expect(lines(json(result.stdout)).sort()).toEqual([
      'Dockerfile:2 dockerfile-debug',
      'app.py:7 app-debug-attribute',
    ]);
    expect(json(result.stdout).summary.baselined).toBe(2);
    expect(await status()).toBe(before);
    expect((await execa('git', ['worktree', 'list'], { cwd: project.root })).stdout.split('\n')).toHaveLength(1);
    // From a subfolder, for one path, the same commit gives the same answer.
    const sub = await secureFlask(['check', '--format', 'json', '--baseline-ref', 'HEAD', '.'], {
      cwd: `${project.root}/web`,
    });
    expect(json(sub.stdout).findings).toEqual([]);
    const badRef = await secureFlask(['check', '--baseline-ref', 'no-such-branch'], { cwd: project.root });
    expect(badRef.exitCode).toBe(2);
    expect(badRef.stderr).toContain("--baseline-ref: 'no-such-branch' is not a commit in this repository");
  });
});
