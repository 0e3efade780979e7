import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { REPO_ROOT } from '../support/python-env.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

const python = inject('python');
const PROBE = join(REPO_ROOT, 'test', 'python', 'debugger_probe.py');
const FIXTURES = join(REPO_ROOT, 'fixtures', 'behaviour');

type DebuggerState = { clean: boolean; flaskDebug: boolean };
const HARD_CODED_ON: DebuggerState = { clean: true, flaskDebug: true };
const ENVIRONMENT_DRIVEN: DebuggerState = { clean: false, flaskDebug: true };
const PRODUCTION_OFF: DebuggerState = { clean: false, flaskDebug: false };

// Each fixture app, how the probe starts it, and the debugger state migrate must produce.
const CASES: { name: string; probe: [string, string]; after: DebuggerState }[] = [
  { name: 'run-keyword', probe: ['script', 'app.py'], after: ENVIRONMENT_DRIVEN },
  { name: 'run-positional', probe: ['script', 'app.py'], after: ENVIRONMENT_DRIVEN },
  { name: 'run-options', probe: ['script', 'app.py'], after: ENVIRONMENT_DRIVEN },
  { name: 'socketio', probe: ['script', 'app.py'], after: ENVIRONMENT_DRIVEN },
  { name: 'attribute', probe: ['factory', 'app:create_app()'], after: ENVIRONMENT_DRIVEN },
  { name: 'config-item', probe: ['factory', 'app:app'], after: ENVIRONMENT_DRIVEN },
  { name: 'config-classes', probe: ['factory', 'app:create_app("base")'], after: ENVIRONMENT_DRIVEN },
  { name: 'config-classes', probe: ['factory', 'app:create_app("production")'], after: PRODUCTION_OFF },
  { name: 'config-module', probe: ['factory', 'app:app'], after: ENVIRONMENT_DRIVEN },
  { name: 'config-map', probe: ['factory', 'app:create_app()'], after: PRODUCTION_OFF },
  { name: 'debugged-application', probe: ['factory', 'app:create_app()'], after: ENVIRONMENT_DRIVEN },
  { name: 'run-simple', probe: ['script', 'serve.py'], after: ENVIRONMENT_DRIVEN },
];

/** Runs the app under real Flask with the server start stubbed: is the debugger (or debug mode) on? */
async function debuggerOn(folder: string, [mode, target]: [string, string], flaskDebug: boolean): Promise<boolean> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };
  if (flaskDebug) env.FLASK_DEBUG = '1';
  const result = await execa(python, [PROBE, mode, target], { cwd: folder, env, extendEnv: false, reject: false, all: true });
  expect(result.exitCode, result.all).toBe(0);
  const state = JSON.parse(String(result.stdout).trim().split('\n').at(-1)!) as { debugger: boolean; app_debug: boolean };
  return state.debugger || state.app_debug;
}

async function stateOf(folder: string, probe: [string, string]): Promise<DebuggerState> {
  return { clean: await debuggerOn(folder, probe, false), flaskDebug: await debuggerOn(folder, probe, true) };
}

describe('migrated apps behave as the safety model says, under real Flask', () => {
  let workspace: TempProject;
  beforeAll(async () => {
    workspace = tempProject('secure-flask-behaviour-');
    cpSync(FIXTURES, join(workspace.root, 'before'), { recursive: true });
    cpSync(FIXTURES, join(workspace.root, 'after'), { recursive: true });
    const migrated = await secureFlask(['migrate', '--write', '.'], { cwd: join(workspace.root, 'after') });
    expect(migrated.exitCode, migrated.stdout + migrated.stderr).toBe(0);
  }, 120_000);
  afterAll(() => workspace.remove());

  it('covers every fixture folder', () => {
    expect(new Set(CASES.map((c) => c.name))).toEqual(new Set(readdirSync(FIXTURES)));
  });

  it.each(CASES)('$name ($probe.1): hard-coded on before; after: clean=$after.clean, FLASK_DEBUG=1 -> $after.flaskDebug', async ({ name, probe, after }) => {
    expect(await stateOf(join(workspace.root, 'before', name), probe)).toEqual(HARD_CODED_ON);
    expect(await stateOf(join(workspace.root, 'after', name), probe)).toEqual(after);
  });

  it('every migrated file compiles, and check finds nothing left to fix', async () => {
    const compiled = await execa(python, ['-m', 'compileall', '-q', '.'], { cwd: join(workspace.root, 'after'), reject: false, all: true });
    expect(compiled.exitCode, compiled.all).toBe(0);
    const check = await secureFlask(['check', '.'], { cwd: join(workspace.root, 'after') });
    expect(check.exitCode, check.stdout).toBe(0);
    const again = await secureFlask(['migrate', '.'], { cwd: join(workspace.root, 'after') });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^migrate: 0 changed/m);
  });
});
