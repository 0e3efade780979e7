import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { REPO_ROOT } from '../support/repo-root.js';

async function findingsIn(folder: string, ruleId: string) {
  const report = await runCheck({ paths: ['.'], includeTests: false, cwd: join(REPO_ROOT, folder), jobs: 1 });
  return report.findings.filter((finding) => finding.ruleId === ruleId);
}

async function messagesIn(folder: string, ruleId: string): Promise<string[]> {
  return (await findingsIn(folder, ruleId)).map((finding) => finding.message);
}

describe('messages that say what the deployment really gets', () => {
  it('a staging config is called the staging config, never the production config', async () => {
    const messages = await messagesIn('fixtures/config-class-debug/flagged-staging', 'config-class-debug');
    expect(messages).toEqual([
      expect.stringContaining('DEBUG = True in StagingConfig, the staging config, turns debug mode on'),
      expect.stringContaining('PreviewStagingConfig inherits DEBUG = True from DevelopmentConfig: staging runs'),
    ]);
    for (const message of messages) expect(message).not.toContain('production');
  });

  it('a DEBUG read as a string says it is off while unset and on for any value, "false" included', async () => {
    const messages = await messagesIn('fixtures/config-class-debug/flagged-string-read', 'config-class-debug');
    expect(messages).toEqual([
      expect.stringContaining(
        'DEBUG = os.getenv("DEBUG") in Config, a base config the other environments inherit, reads DEBUG as a ' +
          'string: unset it is off, but any value, DEBUG=false or 0 included, turns debug mode on',
      ),
    ]);
  });

  it('app.debug = True under __main__ is on whenever the file runs as a script, not "for every environment"', async () => {
    const findings = await findingsIn('fixtures/app-debug-attribute/flagged', 'app-debug-attribute');
    const script = findings.filter((finding) => finding.displayPath === 'script.py').map((finding) => finding.message);
    expect(script).toEqual([
      expect.stringContaining('app.debug = True hard-codes debug mode on whenever this file runs as a script'),
    ]);
  });

  it("a Dash run's hint names Dash's variable; a bare run that inherits a config's DEBUG points at the config", async () => {
    const family = await findingsIn('fixtures/run-debug/flagged-family', 'run-debug');
    const dash = family.filter((finding) => finding.message.startsWith('Dash '));
    expect(dash.length).toBeGreaterThan(0);
    for (const finding of dash) expect(finding.hint).toContain('Dash reads DASH_DEBUG itself');
    const flask = family.filter((finding) => !finding.message.startsWith('Dash '));
    for (const finding of flask) expect(finding.hint).toContain('Flask reads FLASK_DEBUG itself');
    const inherited = await findingsIn('fixtures/run-debug/flagged-inherited-config', 'run-debug');
    expect(inherited.map((finding) => finding.hint)).toEqual([
      expect.stringContaining('turn DEBUG off in that config'),
      expect.stringContaining('turn DEBUG off in that config'),
      expect.stringContaining('turn DEBUG off in that config'),
    ]);
  });

  it('a production config is still called the production config', async () => {
    expect(await messagesIn('fixtures/config-class-debug/flagged', 'config-class-debug')).toContainEqual(
      expect.stringContaining('in ProductionConfig, the production config, turns debug mode on'),
    );
  });

  it('FLASK_DEBUG under a production server says debug mode without the console; under flask run, the debugger', async () => {
    const messages = await messagesIn('fixtures/compose-debug-env/flagged-production-servers', 'compose-debug-env');
    expect(messages).toEqual([
      expect.stringContaining(
        "service api: FLASK_DEBUG=1 turns Flask's debug mode on under gunicorn (no interactive debugger there, " +
          "but unhandled errors bypass the app's 500 handler, templates reload and code gated on app.debug runs)",
      ),
      expect.stringContaining("service web: FLASK_DEBUG=true turns Flask's debug mode and the interactive debugger on"),
    ]);
    expect(await messagesIn('fixtures/compose-debug-env/flagged-production-servers', 'env-file-debug')).toEqual([
      expect.stringContaining(
        "FLASK_DEBUG=yes turns Flask's debug mode on under waitress (no interactive debugger there, but unhandled " +
          "errors bypass the app's 500 handler, templates reload and code gated on app.debug runs) for everyone",
      ),
    ]);
  });

  it('a config DEBUG served only by flask run without FLASK_DEBUG is a warning that says flask run resets it', async () => {
    const [finding] = await findingsIn('fixtures/deploy-severity/flask-run-config', 'config-class-debug');
    expect(finding).toMatchObject({ severity: 'warning', deployment: { reach: 'not-run' } });
    expect(finding?.message).toContain(
      'production runs the app with `flask run`: Dockerfile (`flask run --host 0.0.0.0`), which sets debug mode ' +
        'from FLASK_DEBUG (not set there) once it has loaded the app, so this setting serves no debugger there',
    );
    // FLASK_DEBUG=1 in the .flaskenv that flask run loads: the config's debug mode stands, an error.
    const [attribute] = await findingsIn('fixtures/deploy-severity/flask-run-config', 'app-debug-attribute');
    expect(attribute).toMatchObject({ severity: 'error', deployment: { reach: 'production' } });
  });

  it("FLASK_ENV is read against the Flask of the service's own build context", async () => {
    const findings = await findingsIn('fixtures/compose-debug-env/flagged-context-pin', 'compose-debug-env');
    // Paths in messages are relative to the repository root (this fixture's folder is below it).
    expect(findings.map((finding) => [finding.severity, finding.message.replace(/; production runs.*$/, '')])).toEqual([
      [
        'error',
        expect.stringMatching(
          /^service api1: FLASK_ENV=development turns debug mode on: Flask 2\.2 is pinned in \S*api1\/requirements\.txt$/,
        ),
      ],
      [
        'warning',
        expect.stringMatching(
          /^service api2: FLASK_ENV=development has no effect on Flask 2\.3 and later \(Flask 3\.1 is pinned in \S*api2\//,
        ),
      ],
    ]);
  });

  it('an unpinned Flask on a Python 3.7 image is Flask 2.2 at most, where FLASK_ENV turns debug mode on', async () => {
    const messages = await messagesIn('fixtures/dockerfile-debug/flagged-old-python', 'dockerfile-debug');
    expect(messages).toContainEqual(
      expect.stringMatching(
        /FLASK_ENV=development turns debug mode on: nothing pins Flask and \S*legacy\/Dockerfile:1 builds on python:3\.7-slim, whose Python 3\.7 installs Flask 2\.2 at most/,
      ),
    );
    expect(messages).toContainEqual(expect.stringContaining('whose Python 3.8 installs Flask 3.0 at most), but'));
    // A loose pin (flask<3) is capped by the image's Python too.
    expect(messages).toContainEqual(
      expect.stringMatching(/turns debug mode on: \S*loose-pin\/Dockerfile:1 builds on python:3\.7-slim, whose Python/),
    );
  });

  it('python -m mypkg is followed to mypkg/__main__.py, and a module the repository lacks (pytest) is not', async () => {
    const folder = 'fixtures/deploy-severity/procfile-module';
    expect(await messagesIn(folder, 'process-dev-server')).toEqual([
      expect.stringMatching(/^runs `python -m mypkg`, which starts Flask's development server \(app\.run\)/),
    ]);
    const [run] = await findingsIn(folder, 'run-debug');
    expect(run?.message).toContain('production runs this file as a script: Procfile process admin (`python -m mypkg`)');
  });
});
