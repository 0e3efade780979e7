import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/check/report/json-report.js';
import { formatSarif } from '../../src/check/report/sarif-report.js';
import { formatText } from '../../src/check/report/text-report.js';
import { colorsFor } from '../../src/core/colors.js';
import { runCheck } from '../../src/check/run-check.js';
import { expectedFindings, findingKey } from '../support/fixture-expectations.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { must } from '../support/must.js';

// One small repository per kind of deploy file: its markers say which findings are errors (a production
// entrypoint reaches them) and which are warnings (only development entrypoints do).
const FIXTURES = join(REPO_ROOT, 'fixtures', 'deploy-severity');

async function check(name: string) {
  return runCheck({ paths: ['.'], includeTests: false, cwd: join(FIXTURES, name), jobs: 1 });
}

describe('deployment-aware severity', () => {
  it.each(readdirSync(FIXTURES).map((name) => [name]))(
    '%s: error where production reaches it, warning where only development does',
    async (name) => {
      const report = await check(name);
      expect(report.findings.map(findingKey).sort()).toEqual(expectedFindings(join(FIXTURES, name)));
    },
  );

  it('app.run(debug=True) under __main__ is an error when the Dockerfile runs python app.py, and the message names it', async () => {
    const [finding] = (await check('dockerfile-python')).findings.filter(
      (candidate) => candidate.ruleId === 'run-debug',
    );
    expect(finding?.severity).toBe('error');
    expect(finding?.deployment.reach).toBe('production');
    expect(finding?.message).toContain('production runs this file as a script: Dockerfile (`python app.py`)');
  });

  it('a Dockerfile in a subfolder runs the root app.py its build context holds: run-debug says so, as the dev-server finding does', async () => {
    const findings = (await check('dockerfile-subfolder')).findings;
    const run = findings.find((candidate) => candidate.ruleId === 'run-debug');
    expect(run?.deployment.reach).toBe('production');
    expect(run?.message).toContain('production runs this file as a script: dockerfile.yaml (`python app.py`)');
    expect(findings.find((candidate) => candidate.ruleId === 'dockerfile-dev-server')?.deployment.reach).toBe(
      'production',
    );
  });

  it('`FLASK_APP=run.py flask run` imports run.py: its app.run() is ignored there from Flask 1.0, served before', async () => {
    const runs = (await check('procfile-flask-app-prefix')).findings.filter((found) => found.ruleId === 'run-debug');
    const [newer, older] = [...runs].sort((a, b) => (a.displayPath < b.displayPath ? -1 : 1));
    expect(newer?.deployment.reach).toBe('not-run');
    expect(newer?.message).toContain('under which app.run() returns without serving (Flask 1.0 and later)');
    expect(older?.deployment.reach).toBe('production');
    expect(older?.message).toContain('production runs the app: Procfile process web');
  });

  it('a supervisord program in an Ansible template runs the repository script it installs, and the module it serves', async () => {
    const findings = (await check('supervisord-ansible-template')).findings;
    const config = findings.find((found) => found.ruleId === 'config-module-debug');
    expect(config?.message).toContain(
      'production runs the app: vss-api.conf program vss-api (`gunicorn -b 127.0.0.1:5000 api.api:app`)',
    );
    expect(findings.find((found) => found.ruleId === 'run-debug')?.deployment.reach).toBe('not-run');
  });

  it('the same code is a warning when production runs gunicorn app:app, which never runs the __main__ block', async () => {
    const [finding] = (await check('dockerfile-gunicorn')).findings;
    expect(finding).toMatchObject({ ruleId: 'run-debug', severity: 'warning', deployment: { reach: 'not-run' } });
    expect(finding?.message).toContain(
      'production runs Dockerfile (`gunicorn --bind 0.0.0.0:8000 app:app`), which never runs this `if __name__ == "__main__":` block',
    );
  });

  it('a script calling the shared factory is reached by what runs it, not by the server that serves the factory', async () => {
    const findings = (await check('factory-call-site')).findings;
    const script = findings.filter((finding) => finding.displayPath === 'tasks.py');
    expect(script.map((finding) => finding.deployment.reach)).toEqual(['not-run', 'not-run']);
    expect(script[0]?.message).toContain(
      'production runs Dockerfile (`gunicorn --bind 0.0.0.0:8000 wsgi:application`), which never imports this file',
    );
    const served = findings.find((finding) => finding.displayPath === 'wsgi.py');
    expect(served?.message).toContain('production runs the app: Dockerfile');
  });

  it('without deploy files the severity is unknown and stays an error', async () => {
    const [finding] = (await check('no-deploy-files')).findings;
    expect(finding).toMatchObject({ severity: 'error', deployment: { reach: 'unknown', entrypoints: [] } });
  });

  it('a dev server that only a Makefile target runs is named in the warning', async () => {
    const [finding] = (await check('makefile-dev-server')).findings;
    expect(finding?.message).toContain(
      'only development runs this file as a script: make dev (`python dev_server.py`)',
    );
  });

  it('JSON carries the level and the entrypoints; SARIF sets level and a deployment property', async () => {
    const report = await check('procfile-dev');
    const json = JSON.parse(formatJson(report)) as {
      findings: {
        ruleId: string;
        severity: string;
        deployment: { level: string; entrypoints: { name: string; path: string; line: number }[] };
      }[];
    };
    const devServer = json.findings.find((finding) => finding.ruleId === 'process-dev-server');
    expect(devServer).toMatchObject({
      severity: 'warning',
      deployment: {
        level: 'warning',
        entrypoints: [
          { name: 'Procfile.dev process web', path: 'fixtures/deploy-severity/procfile-dev/Procfile.dev', line: 1 },
        ],
      },
    });
    const attribute = json.findings.find((finding) => finding.ruleId === 'app-debug-attribute');
    expect(attribute).toMatchObject({
      severity: 'error',
      deployment: { level: 'error', entrypoints: [{ name: 'Procfile process web' }] },
    });
    const sarif = JSON.parse(formatSarif(report)) as {
      runs: { results: { ruleId: string; level: string; properties: { deployment: { reach: string } } }[] }[];
    };
    const levels = must(sarif.runs[0]).results.map((result) => [
      result.ruleId,
      result.level,
      result.properties.deployment.reach,
    ]);
    expect(levels).toEqual(
      [
        ['process-dev-server', 'warning', 'development'],
        ['app-debug-attribute', 'error', 'production'],
      ].sort((a, b) => (must(a[0]) < must(b[0]) ? 1 : -1)),
    );
  });

  it('results are the same when only the app file is named', async () => {
    const whole = await check('dockerfile-gunicorn');
    const named = await runCheck({
      paths: ['app.py'],
      includeTests: false,
      cwd: join(FIXTURES, 'dockerfile-gunicorn'),
      jobs: 1,
    });
    expect(named.findings.map((finding) => [finding.ruleId, finding.severity, finding.message])).toEqual(
      whole.findings.map((finding) => [finding.ruleId, finding.severity, finding.message]),
    );
  });

  it('text output shows the level and sums errors and warnings', async () => {
    const text = formatText(await check('compose-override'), colorsFor({}));
    expect(text).toContain('docker-compose.override.yml:3:14  warning  orchestrator-dev-server');
    expect(text).toContain('docker-compose.yml:6:7  error  compose-debug-env');
    expect(text).toContain('3 findings in 2 files (1 error, 2 warnings: development only).');
    expect(text).toContain(
      'Severity follows what the deploy files run (production: docker-compose.yml service web; development: docker-compose.override.yml service web).',
    );
  });

  it('a warning of its own (FLASK_ENV on an unpinned Flask) is not summed up as development only', async () => {
    const cwd = join(REPO_ROOT, 'fixtures', 'env-file-debug', 'flagged');
    const report = await runCheck({ paths: ['.'], includeTests: false, cwd, jobs: 1 });
    const text = formatText(report, colorsFor({}));
    expect(text).toContain('4 findings in 3 files (3 errors, 1 warning).');
    expect(text).not.toContain('development only');
  });
});

describe('deploy-file explanations', () => {
  const rules = join(REPO_ROOT, 'fixtures');
  const messages = async (folder: string) =>
    (await runCheck({ paths: ['.'], includeTests: false, cwd: join(rules, folder), jobs: 1 })).findings.map((finding) =>
      finding.message.replace(/; (production|only development) runs.*$/, ''),
    );

  it('an ENV that copies an ARG default says it is the default, not "on in every container"', async () => {
    expect(await messages('dockerfile-debug/flagged-arg-default')).toEqual([
      // The image runs gunicorn: debug mode, but no console.
      "ENV FLASK_DEBUG takes the default of `ARG FLASK_DEBUG` (line 2): FLASK_DEBUG=1 turns Flask's debug mode on under " +
        "gunicorn (no interactive debugger there, but unhandled errors bypass the app's 500 handler, templates " +
        'reload and code gated on app.debug runs) in every container of this image built without --build-arg FLASK_DEBUG=0',
    ]);
  });

  it("the ARG named is the one the ENV value reads, not the ENV's own name", async () => {
    expect(await messages('dockerfile-debug/flagged-arg-other-name')).toEqual([
      // The image runs gunicorn: debug mode, but no console.
      "ENV FLASK_DEBUG takes the default of `ARG DEBUG` (line 2): FLASK_DEBUG=1 turns Flask's debug mode on under " +
        "gunicorn (no interactive debugger there, but unhandled errors bypass the app's 500 handler, templates " +
        'reload and code gated on app.debug runs) in every container of this image built without --build-arg DEBUG=0',
    ]);
  });

  it('a template copied to .env is reported on the copying line, naming the template', async () => {
    expect(await messages('dockerfile-debug/flagged-template-copy')).toEqual([
      "copies the template env.sample to .env, which flask run and python-dotenv load: FLASK_DEBUG=1 turns Flask's debug mode and the interactive debugger on for a flask run in a container of the image, but what it runs (gunicorn) serves no debugger",
      'copies the template .env.dev-sample to .flaskenv, which flask run and python-dotenv load: FLASK_ENV=development turns debug mode on (Flask < 2.3 and many extensions still read it) for a flask run in a container of the image, but what it runs (gunicorn) serves no debugger',
    ]);
    // An image that runs flask run serves the debugger the template turns on.
    expect(await messages('dockerfile-debug/flagged-template-flask-run')).toEqual([
      "copies the template .env.example to .env, which flask run and python-dotenv load: FLASK_DEBUG=1 turns Flask's debug mode and the interactive debugger on in the image",
      "CMD runs Flask's development server (`flask run`) instead of a WSGI server",
    ]);
  });

  it('a variable that picks a debug config class names the class and the line that picks it', async () => {
    // Paths are relative to the repository root (this fixture sits inside our own repository).
    const folder = 'fixtures/dockerfile-debug/flagged-debug-selector';
    expect(await messages('dockerfile-debug/flagged-debug-selector')).toEqual([
      `ENV DEBUG=True makes the app choose its debug config in every container of this image: ${folder}/run.py:8 picks DebugConfig (${folder}/config.py:10), which sets DEBUG = True`,
    ]);
  });
});
