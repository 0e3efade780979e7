import { beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { parseShellCommands } from '../../src/deploy/shell/shell-commands.js';
import { loadShellParser } from '../../src/deploy/shell/shell-parser.js';
import { migrateInMemory } from '../support/migrate-plan.js';
import { tempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

// A script branch under a debug opt-in (`if [ "$DEBUG" = true ]`) is what a developer runs when they turn
// the variable on; production takes the other branch unless a deploy file that runs the script sets it.
const APP =
  'import argparse\nfrom flask import Flask\n\nserver = Flask(__name__)\n\nif __name__ == "__main__":\n' +
  '    parser = argparse.ArgumentParser()\n    parser.add_argument("--debug", action="store_true")\n' +
  '    server.run(host="0.0.0.0", port=7000, debug=parser.parse_args().debug)\n';
const START =
  '#!/usr/bin/env bash\nif [[ "$VERBOSE_DEBUG" == "1" ]]; then\n  python main.py --debug\n' +
  'else\n  gunicorn main:server --bind :7000\nfi\n';
const COMPOSE =
  'services:\n  web:\n    image: python:3.12\n    volumes:\n      - ./start.sh:/srv/start.sh\n' +
  '    command: ["/srv/start.sh"]\n';

beforeAll(() => loadShellParser());

function branchesOf(script: string): [string, boolean, string | undefined][] {
  // A `test` condition is a command of its own (it runs whichever branch is taken): only the branches matter here.
  const commands = parseShellCommands(script).filter((command) => command.argv[0] !== 'test');
  return commands.map((command) => [
    command.argv.join(' '),
    command.branch?.development ?? false,
    command.branch?.optIn,
  ]);
}

describe('debug opt-in conditions', () => {
  it.each([
    ['[ "$DEBUG" = true ]', 'DEBUG'],
    ['[ "$FLASK_DEBUG" == "1" ]', 'FLASK_DEBUG'],
    ['[[ $DASH_DEBUG = yes ]]', 'DASH_DEBUG'],
    ['[ -n "$DEVELOPMENT" ]', 'DEVELOPMENT'],
    ['[ "$LOCAL" ]', 'LOCAL'],
    ['[ "${DEV_MODE:-false}" = on ]', 'DEV_MODE'],
    ['test "$APP_DEBUG" -eq 1', 'APP_DEBUG'],
  ])('`if %s` selects a development-only then branch (opt-in %s)', (condition, variable) => {
    expect(branchesOf(`if ${condition}; then flask run --debug; else gunicorn app:app; fi\n`)).toEqual([
      ['flask run --debug', true, variable],
      ['gunicorn app:app', false, undefined],
    ]);
  });

  it.each([['[ "$DEBUG" != true ]'], ['[ "${DEBUG:-false}" = false ]'], ['[ -z "$FLASK_DEBUG" ]']])(
    '`if %s` makes the else branch the development one',
    (condition) => {
      expect(branchesOf(`if ${condition}; then gunicorn app:app; else flask run --debug; fi\n`)).toEqual([
        ['gunicorn app:app', false, undefined],
        ['flask run --debug', true, expect.any(String)],
      ]);
    },
  );

  it.each([
    ['[ "${DEBUG:-true}" = true ]'],
    ['[ "$MIGRATE" = true ]'],
    ['[ -n "$WORKERS" ]'],
    ['[ "$DEBUG" = verbose ]'],
    // Unset, "" is not "false": this then branch is what runs by default.
    ['[ "$DEBUG" != false ]'],
  ])('`if %s` is not an opt-in: both branches count', (condition) => {
    expect(branchesOf(`if ${condition}; then flask run --debug; else gunicorn app:app; fi\n`)).toEqual([
      ['flask run --debug', false, undefined],
      ['gunicorn app:app', false, undefined],
    ]);
  });
});

async function checkOf(files: Record<string, string>) {
  const project = tempProject('secure-flask-optin-');
  try {
    for (const [path, contents] of Object.entries(files)) project.write(path, contents);
    return await runCheck({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
  } finally {
    project.remove();
  }
}

describe('a script whose debug branch is an opt-in', () => {
  const files = { 'docker-compose.yml': COMPOSE, 'start.sh': START, 'main.py': APP };

  it('is a warning naming the condition, not an error citing the else branch', async () => {
    const report = await checkOf(files);
    const findings = report.findings.filter((finding) => finding.ruleId === 'script-debug');
    expect(findings.map((finding) => [finding.line, finding.severity, finding.deployment?.reach])).toEqual([
      [3, 'warning', 'development'],
    ]);
    expect(must(findings[0]).message).toMatch(/the branch `"\$VERBOSE_DEBUG" == "1"`/);
    expect(must(findings[0]).message).toMatch(/VERBOSE_DEBUG is off unless set/);
  });

  it('migrate leaves the opt-in branch as it is', async () => {
    const result = await migrateInMemory(files);
    expect(result.after['start.sh']).toBe(START);
    expect(result.manual).toEqual(['start.sh:3 script-debug']);
    expect(result.reasons[0]).toMatch(/runs only in development/);
  });

  it('is an error when the deploy file that runs the script turns the variable on', async () => {
    const compose = COMPOSE.replace('    command:', '    environment:\n      VERBOSE_DEBUG: "1"\n    command:');
    const report = await checkOf({ ...files, 'docker-compose.yml': compose });
    const findings = report.findings.filter((finding) => finding.ruleId === 'script-debug');
    expect(findings.map((finding) => [finding.line, finding.severity, finding.deployment?.reach])).toEqual([
      [3, 'error', 'production'],
    ]);
    const result = await migrateInMemory({ ...files, 'docker-compose.yml': compose });
    expect(result.reasons[0] ?? '').not.toMatch(/runs only in development/);
  });

  it.each([
    ['[ -n "$VERBOSE_DEBUG" ]', 'false', 'error'],
    ['[ "$VERBOSE_DEBUG" = 1 ]', 'false', 'warning'],
    // The shell compares words exactly: `yes` is not `1`, so the branch still does not run.
    ['[ "$VERBOSE_DEBUG" = 1 ]', 'yes', 'warning'],
    ['[ "$VERBOSE_DEBUG" = 1 ]', '1', 'error'],
  ])('`if %s` with the variable set to %s by the deploy file: %s', async (condition, value, severity) => {
    const compose = COMPOSE.replace('    command:', `    environment:\n      VERBOSE_DEBUG: "${value}"\n    command:`);
    const start = START.replace('[[ "$VERBOSE_DEBUG" == "1" ]]', condition);
    const report = await checkOf({ ...files, 'docker-compose.yml': compose, 'start.sh': start });
    const findings = report.findings.filter((finding) => finding.ruleId === 'script-debug');
    expect(findings.map((finding) => finding.severity)).toEqual([severity]);
  });
});
