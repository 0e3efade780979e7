import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RULES } from '../../codemods/index.js';
import { runCheck, type CheckReport } from '../../src/check/run-check.js';
import { Screener } from '../../src/check/screen-file.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

let project: TempProject;
afterEach(() => project?.remove());

const check = (paths: string[], cwd: string, includeTests = false) => runCheck({ paths, includeTests, cwd, jobs: 1 });
const found = (report: CheckReport) =>
  report.findings.map((finding) => `${finding.displayPath}:${finding.line} ${finding.ruleId}`);

// Text that passes the run-debug and config-debug-item prefilters but is not Flask.
const NOT_FLASK = 'import asyncio\n\nLEVELS = {"DEBUG": 10}\n\nasyncio.run(main(), debug=True)\n';

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('screening: what check reads, and what it parses', () => {
  it('screens a file by keyword: the rules that could report, the project keywords, unknown suppression ids', () => {
    project = tempProject();
    const path = project.write(
      'app.py',
      'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)  # secure-flask: ignore[no-such-rule]\n',
    );
    const screener = new Screener(RULES);
    const screening = screener.screen({
      path,
      displayPath: 'app.py',
      rootPath: 'app.py',
      kind: 'python',
      gitIgnored: false,
    });
    expect(screening.ruleIds).toContain('run-debug');
    expect(screening.ruleIds).not.toContain('config-module-debug');
    expect(screening.projectKeywords).toEqual(['flask']);
    expect(screening.unknownSuppressions).toEqual([{ line: 3, id: 'no-such-rule' }]);
    const plain = project.write('plain.py', 'def add(a, b):\n    return a + b\n');
    expect(
      screener.screen({
        path: plain,
        displayPath: 'plain.py',
        rootPath: 'plain.py',
        kind: 'python',
        gitIgnored: false,
      }),
    ).toEqual({ ruleIds: [], loadsConfig: false, projectKeywords: [] });
    // Found once, a project keyword is not looked for again by the same screener; a suppression mark still is.
    const again = project.write('again.py', 'import flask  # secure-flask: ignore[nope]\n');
    const second = screener.screen({
      path: again,
      displayPath: 'again.py',
      rootPath: 'again.py',
      kind: 'python',
      gitIgnored: false,
    });
    expect(second.projectKeywords).toEqual([]);
    expect(second.unknownSuppressions).toEqual([{ line: 1, id: 'nope' }]);
    expect(
      new Screener(RULES).screen({
        path: again,
        displayPath: 'again.py',
        rootPath: 'again.py',
        kind: 'python',
        gitIgnored: false,
      }).projectKeywords,
    ).toEqual(['flask']);
  });

  it('prefilters a rule once a screened file showed its project keywords: a file it rejects is not read again', () => {
    project = tempProject();
    const file = (name: string, text: string) => ({
      path: project.write(name, text),
      displayPath: name,
      rootPath: name,
      kind: 'python' as const,
      gitIgnored: false,
    });
    // `debug` is run-debug's keyword, but no argument or bare run() its prefilters look for.
    const logging = file('log_setup.py', 'import logging\n\nlogging.basicConfig(level=logging.INFO)  # no debug\n');
    const screener = new Screener(RULES);
    // Before any file shows flask, the rules that wait for it are prefiltered where the file is analyzed.
    expect(screener.screen(logging).ruleIds).toContain('run-debug');
    screener.screen(file('app.py', 'from flask import Flask\napp = Flask(__name__)\n'));
    // quart-run-debug still waits for a Quart import, which no file has shown yet.
    expect(screener.screen(logging).ruleIds).toEqual(['quart-run-debug']);
    expect(screener.screen(file('runner.py', NOT_FLASK)).ruleIds).toContain('run-debug');
  });

  it('a keyword is found where a match of another one ends on its first characters (`make_app(` holds `_app(`)', () => {
    project = tempProject();
    // Screened first, while `make_app` is still a project keyword every rule waits for.
    const path = project.write(
      'manage.py',
      'import os\nfrom portal import make_app\n\napp = make_app(os.getenv("E"))\n',
    );
    const screening = new Screener(RULES).screen({
      path,
      displayPath: 'manage.py',
      rootPath: 'manage.py',
      kind: 'python',
      gitIgnored: false,
    });
    expect(screening.projectKeywords).toContain('make_app');
    expect(screening.ruleIds).toContain('dev-config-selected');
  });

  it('parses nothing for the rules that need a Flask app in a project without one, and parses once flask is imported anywhere', async () => {
    project = tempProject();
    project.write('runner.py', NOT_FLASK);
    const without = await check(['.'], project.root);
    expect(found(without)).toEqual([]);
    expect(without.filesParsed).toBe(0);
    project.write('web/views.py', 'from flask import Blueprint\n');
    const withFlask = await check(['.'], project.root);
    expect(found(withFlask)).toEqual([]);
    expect(withFlask.filesParsed).toBe(1);
  });

  it('reads an import keyword as a module name: `import events`, `from dashboard`, `quarter` are not Eve, Dash or Quart', async () => {
    project = tempProject();
    project.write('runner.py', `import events\nfrom dashboard import panels\n\n${NOT_FLASK}`);
    project.write('tools/more.py', 'import everything\nfrom dashes import line\nquarter = 4\n');
    // A file check does not visit (tests/) is read by the project gate, with the same reading.
    project.write('tests/helpers.py', 'import eventlet\nfrom quarterly import report\n');
    const without = await check(['.'], project.root);
    expect(without.filesParsed).toBe(0);
    // Eve's own import (and a submodule, or a Dash companion package) still opens the gate.
    const evidences = [
      'import eve\n',
      'from eve.io import mongo\n',
      'import dash_bootstrap_components\n',
      'import quart\n',
    ];
    for (const evidence of evidences) {
      project.write('tools/more.py', evidence);
      expect((await check(['.'], project.root)).filesParsed).toBe(1);
    }
  });

  it('finds an app built by an imported create_app() when no file of the project mentions flask', async () => {
    project = tempProject();
    project.write('serve.py', 'from company_web import create_app\n\napp = create_app()\napp.run(debug=True)\n');
    expect(found(await check(['.'], project.root))).toEqual(['serve.py:4 run-debug']);
  });

  it('looks for the app in files it does not check: excluded by config, and tests', async () => {
    project = tempProject();
    project.write('.secure-flask.json', JSON.stringify({ exclude: ['legacy/'] }));
    project.write('legacy/web.py', 'from flask import Flask\n\napp = Flask(__name__)\n');
    project.write('run.py', 'from legacy.web import app\n\napp.run(debug=True)\n');
    expect(found(await check(['.'], project.root))).toEqual(['run.py:3 run-debug']);

    project.remove();
    project = tempProject();
    project.write('tests/web_app.py', 'from flask import Flask\n\napp = Flask(__name__)\n');
    project.write('tests/serve_for_e2e.py', 'from web_app import app\n\napp.debug = True\n');
    project.write('runner.py', NOT_FLASK);
    expect(found(await check(['.'], project.root))).toEqual([]);
    expect(found(await check(['.'], project.root, true))).toEqual(['tests/serve_for_e2e.py:3 app-debug-attribute']);
  });

  it('looks for the app where imports reach past the walk: git-ignored and build folders, git-ignored modules', async () => {
    project = tempProject();
    await project.git('init', '-q');
    project.write('.gitignore', 'generated/\nlocal_app.py\n');
    project.write('generated/webapp.py', 'from flask import Flask\n\napp = Flask(__name__)\n');
    project.write('run.py', 'from generated.webapp import app\n\napp.run(debug=True)\n');
    project.write('runner.py', NOT_FLASK);
    expect(found(await check(['.'], project.root))).toEqual(['run.py:3 run-debug']);
    project.write('.gitignore', 'local_app.py\n');
    project.write('build/webapp.py', 'from flask import Flask\n\napp = Flask(__name__)\n');
    project.write('run.py', 'from build.webapp import app\n\napp.run(debug=True)\n');
    project.write('serve.py', 'from local_app import app\n\napp.debug = True\n');
    project.write('local_app.py', 'import flask\n\napp = flask.Flask(__name__)\n');
    expect(found(await check(['.'], project.root))).toEqual(['run.py:3 run-debug', 'serve.py:3 app-debug-attribute']);
  });

  it('reports a file it cannot decode as skipped whatever the project holds', async () => {
    project = tempProject();
    project.write(
      'legacy.py',
      Buffer.concat([Buffer.from('debug = True\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    project.write('runner.py', NOT_FLASK);
    const report = await check(['.'], project.root);
    expect(report.skipped).toEqual([{ displayPath: 'legacy.py', reason: 'not valid UTF-8' }]);
    expect(report.filesChecked).toBe(1);
  });

  it("parses a class body's DEBUG only where a class is named like a config or extends one of the module", async () => {
    project = tempProject();
    project.write('flags.py', 'import enum\n\nclass RegexFlag(enum.IntFlag):\n    DEBUG = _compiler.SRE_FLAG_DEBUG\n');
    const unrelated = await check(['.'], project.root);
    expect(found(unrelated)).toEqual([]);
    expect(unrelated.filesParsed).toBe(0);
    project.write(
      'environments.py',
      'class Base:\n    TESTING = False\n\n\nclass Production(\n    Base,  # (shared settings)\n):\n    DEBUG = True\n',
    );
    // A class nothing loads is no finding: the app loads this one.
    project.write('app.py', 'from flask import Flask\nfrom environments import Production\n\napp = Flask(__name__)\n');
    project.write(
      'wsgi.py',
      'from app import app\nfrom environments import Production\n\napp.config.from_object(Production)\n',
    );
    expect(found(await check(['.'], project.root))).toEqual(['environments.py:8 config-class-debug']);
  });

  it('confirms a module-level DEBUG only where a from_object() loads it, parsing the loader on demand', async () => {
    project = tempProject();
    project.write('settings.py', 'DEBUG = True\n');
    expect(found(await check(['.'], project.root))).toEqual([]);
    project.write('app.py', 'from flask import Flask\n\napp = Flask(__name__)\napp.config.from_object("settings")\n');
    expect(found(await check(['.'], project.root))).toEqual(['settings.py:1 config-module-debug']);
  });

  it('every fixture: naming each file (every rule kept) finds what checking the whole project (rules gated) finds', async () => {
    const fixtures = join(REPO_ROOT, 'fixtures');
    const projects = readdirSync(fixtures).flatMap((rule) =>
      readdirSync(join(fixtures, rule))
        .map((name) => join(fixtures, rule, name))
        .filter((path) => statSync(path).isDirectory()),
    );
    expect(projects.length).toBeGreaterThan(40);
    let compared = 0;
    for (const fixture of projects) {
      project?.remove();
      project = tempProject();
      cpSync(fixture, project.root, { recursive: true });
      const files = filesUnder(project.root).map((path) => relative(project.root, path));
      const whole = await check(['.'], project.root, true);
      const named = await check(files, project.root, true);
      expect(found(named), relative(fixtures, fixture)).toEqual(found(whole));
      compared += whole.findings.length;
    }
    expect(compared).toBeGreaterThan(50);
  });
});
