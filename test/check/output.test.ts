import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RULES } from '../../codemods/index.js';
import { secureFlask } from '../support/cli.js';
import { tempProject, type TempProject } from '../support/temp-project.js';
import { sarifValidator } from '../support/sarif-schema.js';
import { must } from '../support/must.js';

let project: TempProject;
afterEach(() => project?.remove());

function projectWithFindings(): TempProject {
  const created = tempProject();
  created.write('app.py', 'from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\n');
  created.write('web/.flaskenv', 'FLASK_APP=app\nFLASK_DEBUG=1\n');
  created.write('clean.py', 'print("hello")\n');
  return created;
}

describe('check output', () => {
  it('text: file:line:col, rule id, message, the source line and a fix hint; exit 1', async () => {
    project = projectWithFindings();
    const result = await secureFlask(['check'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      'app.py:4:9  error  run-debug  app.run() with debug=True starts the Werkzeug debugger',
    );
    expect(result.stdout).toContain('      app.run(debug=True)');
    expect(result.stdout).toContain('      fix: drop the debug argument');
    expect(result.stdout).toContain('web/.flaskenv:2:1  error  env-file-debug');
    expect(result.stdout).toMatch(/2 findings in 2 files\. checked 3 files\./);
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it('colour only when forced for a pipe, never with NO_COLOR', async () => {
    project = projectWithFindings();
    const forced = await secureFlask(['check'], { cwd: project.root, env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(forced.stdout).toMatch(/\u001b\[31m/);
    const noColor = await secureFlask(['check'], { cwd: project.root, env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
  });

  it('exit 0 and a clean summary when nothing is found', async () => {
    project = tempProject();
    project.write('app.py', 'from flask import Flask\napp = Flask(__name__)\n');
    const result = await secureFlask(['check'], { cwd: project.root });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^No debug-mode findings\. checked 1 file\./m);
  });

  it('json: root-relative paths, positions, hints and a summary', async () => {
    project = projectWithFindings();
    const result = await secureFlask(['check', '--format', 'json'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as {
      findings: Record<string, unknown>[];
      summary: Record<string, unknown>;
    };
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'run-debug',
        severity: 'error',
        path: 'app.py',
        line: 4,
        column: 9,
        endLine: 4,
        endColumn: 19,
      }),
      expect.objectContaining({ ruleId: 'env-file-debug', path: 'web/.flaskenv', line: 2, column: 1 }),
    ]);
    expect(report.summary).toMatchObject({ findings: 2, filesChecked: 3, suppressed: 0 });
  });

  it('sarif: valid SARIF 2.1.0 with every rule described and relative URIs under %SRCROOT%', async () => {
    project = projectWithFindings();
    const result = await secureFlask(['check', '--format', 'sarif'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const log = JSON.parse(result.stdout) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string; help: { markdown: string } }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[];
        }[];
      }[];
    };
    const validate = sarifValidator();
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false); // the validator does reject a bad log
    // ...and checks formats: a run whose end time is not a date-time is not valid SARIF.
    expect(
      validate({
        version: '2.1.0',
        runs: [
          { tool: { driver: { name: 'x' } }, invocations: [{ executionSuccessful: true, endTimeUtc: 'yesterday' }] },
        ],
      }),
    ).toBe(false);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.version).toBe('2.1.0');
    const run = must(log.runs[0]);
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    expect(run.results.map((r) => [r.ruleId, must(run.tool.driver.rules[r.ruleIndex]).id])).toEqual([
      ['run-debug', 'run-debug'],
      ['env-file-debug', 'env-file-debug'],
    ]);
    expect(run.results.map((r) => must(r.locations[0]).physicalLocation.artifactLocation)).toEqual([
      { uri: 'app.py', uriBaseId: '%SRCROOT%' },
      { uri: 'web/.flaskenv', uriBaseId: '%SRCROOT%' },
    ]);
  });

  it('--output writes the report to a file and keeps stdout clean', async () => {
    project = projectWithFindings();
    const result = await secureFlask(['check', '--format', 'json', '--output', 'report.json'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    const report = JSON.parse(readFileSync(join(project.root, 'report.json'), 'utf8')) as { findings: unknown[] };
    expect(report.findings).toHaveLength(2);
  });

  it('--output into a missing folder is a one-line error with exit 2', async () => {
    project = projectWithFindings();
    const result = await secureFlask(['check', '--output', 'no/such/folder/report.txt'], { cwd: project.root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/secure-flask: .*ENOENT|no such file/i);
  });
});

describe('suppressions and the config file', () => {
  it('an inline ignore comment suppresses that rule on that line and is counted', async () => {
    project = tempProject();
    project.write(
      'app.py',
      [
        'from flask import Flask',
        'app = Flask(__name__)',
        'app.debug = True  # secure-flask: ignore[app-debug-attribute]',
        'app.config["DEBUG"] = True  # secure-flask: ignore[run-debug]',
        '# secure-flask: ignore',
        'app.run(debug=True)',
        '',
      ].join('\n'),
    );
    const result = await secureFlask(['check', '--format', 'json'], { cwd: project.root });
    const report = JSON.parse(result.stdout) as {
      findings: { ruleId: string; line: number }[];
      summary: { suppressed: number };
    };
    expect(report.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['4 config-debug-item']);
    expect(report.summary.suppressed).toBe(2);
  });

  it('.secure-flask.json excludes paths and turns rules off, and the summary says so', async () => {
    project = tempProject();
    project.write('.secure-flask.json', JSON.stringify({ exclude: ['legacy/'], disable: ['env-file-debug'] }));
    project.write('legacy/old.py', 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n');
    project.write('.flaskenv', 'FLASK_DEBUG=1\n');
    project.write('app.py', 'from flask import Flask\napp = Flask(__name__)\napp.debug = True\n');
    const result = await secureFlask(['check'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('app-debug-attribute');
    expect(result.stdout).not.toContain('env-file-debug  ');
    expect(result.stdout).toMatch(/1 excluded by config/);
    expect(result.stdout).toMatch(/rules off: env-file-debug/);
  });

  it.each([
    ['{not json', /\.secure-flask\.json: not valid JSON/],
    ['{"disable": ["no-such-rule"]}', /unknown rule 'no-such-rule'/],
    ['{"exclude": "legacy"}', /'exclude' must be a list of strings/],
    [
      '{"ignores": []}',
      /unknown key 'ignores' \(allowed: exclude, extend-exclude, disable, select, ignore, baseline\)/,
    ],
  ])('a broken config file %s is a one-line error with exit 2', async (contents, message) => {
    project = tempProject();
    project.write('.secure-flask.json', contents);
    const result = await secureFlask(['check'], { cwd: project.root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('rules and explain', () => {
  it('rules lists every rule id once', async () => {
    const result = await secureFlask(['rules']);
    expect(result.exitCode).toBe(0);
    for (const rule of RULES) expect(result.stdout).toMatch(new RegExp(`^${rule.id}\\s`, 'm'));
    const json = JSON.parse((await secureFlask(['rules', '--json'])).stdout) as { id: string }[];
    expect(json.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
  });

  it('explain prints why, an example and the fix', async () => {
    const result = await secureFlask(['explain', 'env-file-debug']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^env-file-debug \(error\)/);
    expect(result.stdout).toMatch(/^Why:\n/m);
    expect(result.stdout).toMatch(/^Example:\n {4}# \.flaskenv/m);
    expect(result.stdout).toMatch(/^Fix:\n/m);
  });

  it('every rule id is stable kebab-case and every doc is filled in', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+(?:-[a-z]+)+$/);
      expect(rule.doc.why.length).toBeGreaterThan(80);
      expect(rule.doc.example.length).toBeGreaterThan(10);
      expect(rule.doc.fix.length).toBeGreaterThan(20);
    }
  });
});

describe('docs/rules.md', () => {
  it('is generated from the current rule objects (run npm run docs after changing a rule)', async () => {
    const { renderRulesMarkdown } = await import('../../src/rules/rule-docs.js');
    const { REPO_ROOT } = await import('../support/python-env.js');
    expect(readFileSync(join(REPO_ROOT, 'docs', 'rules.md'), 'utf8')).toBe(renderRulesMarkdown(RULES));
  });
});
