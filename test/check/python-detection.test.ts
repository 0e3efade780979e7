import { afterEach, describe, expect, it } from 'vitest';
import { formatJson } from '../../src/check/report/json-report.js';
import { runCheck } from '../../src/check/run-check.js';
import { secureFlask } from '../support/cli.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

let project: TempProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

async function checkFiles(files: Record<string, string>) {
  project = tempProject('secure-flask-detect-');
  for (const [path, contents] of Object.entries(files)) project.write(path, contents);
  return runCheck({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
}

describe('suppression comments', () => {
  const files = {
    'app.py':
      'from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)  # secure-flask: ignore[run-debgu]\napp.debug = True  # secure-flask: ignore[app-debug-attribute]\n',
    'notes.py': 'x = 1  # secure-flask: ignore[no-such-rule, run-debug]\n',
  };

  it('warn about a rule id no rule has, as Ruff does for unknown noqa codes, and silence nothing with it', async () => {
    const report = await checkFiles(files);
    expect(report.findings.map((finding) => `${finding.displayPath}:${finding.line} ${finding.ruleId}`)).toEqual([
      'app.py:4 run-debug',
    ]);
    expect(report.suppressed).toBe(1);
    expect(report.warnings.map((warning) => `${warning.displayPath}:${warning.line} ${warning.message}`)).toEqual([
      'app.py:4 unknown rule id "run-debgu" in a secure-flask: ignore comment (see secure-flask rules)',
      'notes.py:1 unknown rule id "no-such-rule" in a secure-flask: ignore comment (see secure-flask rules)',
      // A real id on a line with nothing to suppress: a stale comment (Ruff's RUF100).
      'notes.py:1 secure-flask: ignore[run-debug] suppresses nothing on this line (remove it)',
    ]);
    const json = JSON.parse(formatJson(report)) as { warnings: { path: string; line: number }[] };
    expect(json.warnings.map((warning) => `${warning.path}:${warning.line}`)).toEqual([
      'app.py:4',
      'notes.py:1',
      'notes.py:1',
    ]);
  });

  it('the CLI prints the warning on stderr and keeps stdout for the report', async () => {
    project = tempProject('secure-flask-detect-');
    for (const [path, contents] of Object.entries(files)) project.write(path, contents);
    const result = await secureFlask(['check', '--format', 'json', '.'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('secure-flask check: warning: app.py:4: unknown rule id "run-debgu"');
    expect(() => JSON.parse(result.stdout)).not.toThrow();
  });
});

describe('apps bound to self attributes', () => {
  it('follows `runner = self._runner` and `self._runner = runner` once, and still finds self.app = Flask(...)', async () => {
    // The shape of unittest's async_case.py: an attribute read into a local in one method, set from one in another.
    const source = [
      'from flask import Flask',
      '',
      '',
      'class Tests:',
      '    def setup(self):',
      '        runner = make_runner()',
      '        self._runner = runner',
      '',
      '    def teardown(self):',
      '        runner = self._runner',
      '        runner.close()',
      '',
      '    def go(self):',
      '        self._runner.run(debug=True)',
      '',
      '',
      'class Server:',
      '    def __init__(self):',
      '        self.app = Flask(__name__)',
      '',
      '    def start(self):',
      '        self.app.run(debug=True)',
      '',
    ].join('\n');
    const report = await checkFiles({ 'runner.py': source });
    expect(report.findings.map((finding) => `${finding.displayPath}:${finding.line} ${finding.ruleId}`)).toEqual([
      'runner.py:22 run-debug',
    ]);
  });
});

describe('Python 2 files are still checked', () => {
  it('finds app.run(debug=True) in a module with print statements', async () => {
    const report = await checkFiles({
      'legacy.py':
        'from flask import Flask\n\napp = Flask(__name__)\nprint "starting on port", 5000\n\nif __name__ == "__main__":\n    print "debug on"\n    app.run(debug=True)\n',
    });
    expect(report.findings.map((finding) => `${finding.displayPath}:${finding.line} ${finding.ruleId}`)).toEqual([
      'legacy.py:8 run-debug',
    ]);
  });
});

describe('explanations say what the code does', () => {
  it('a DebugConfig nothing inherits is not called a base config every environment inherits', async () => {
    const report = await checkFiles({
      'app.py':
        'from flask import Flask\n\n\nclass DebugConfig:\n    DEBUG = True\n\n\nclass Config:\n    DEBUG = True\n\n\nclass ProdConfig(Config):\n    DEBUG = False\n\n\napp = Flask(__name__)\napp.config.from_object(DebugConfig)\n',
    });
    expect(report.findings.map((finding) => finding.message)).toEqual([
      'DEBUG = True in DebugConfig, a config class not limited to development or testing, turns debug mode on',
      'DEBUG = True in Config, a base config the other environments inherit, turns debug mode on',
    ]);
  });

  it('a module loaded by from_pyfile is not said to be loaded by from_object', async () => {
    const report = await checkFiles({
      'settings.py': 'DEBUG = True\n',
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.config.from_pyfile("settings.py")\n',
    });
    expect(report.findings.map((finding) => `${finding.displayPath} ${finding.message}`)).toEqual([
      'settings.py module-level DEBUG = True is copied into the app config wherever this module is loaded as config (from_object or from_pyfile)',
    ]);
  });

  it('names the settings class behind debug=settings.DEBUG and the variable behind an on default', async () => {
    const report = await checkFiles({
      'app.py':
        'import os\n\nfrom flask import Flask\n\n\nclass Settings:\n    DEBUG = True\n\n\nsettings = Settings()\napp = Flask(__name__)\napp.run(debug=settings.DEBUG)\napp.run(debug=os.environ.get("DEBUG", True))\n',
    });
    expect(report.findings.map((finding) => finding.message)).toEqual([
      'app.run() with debug=settings.DEBUG (Settings.DEBUG = True) starts the Werkzeug debugger, a remote Python console',
      'app.run() with debug=os.environ.get("DEBUG", True) (on while DEBUG is unset) starts the Werkzeug debugger, a remote Python console',
    ]);
  });
});
