import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { planMigration } from '../../src/migrate/plan.js';
import { secureFlask } from '../support/cli.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { migratedCopy } from '../support/migrated-copy.js';
import type { TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');
const PROBE = join(REPO_ROOT, 'test', 'python', 'debugger_probe.py');
const FIXTURES = join(REPO_ROOT, 'fixtures', 'behaviour');

/** Debugger on with a clean environment, and with the variable a developer opts in with (FLASK_DEBUG=1 unless the case names another). */
type DebuggerState = { clean: boolean; flaskDebug: boolean };
const HARD_CODED_ON: DebuggerState = { clean: true, flaskDebug: true };
const ENVIRONMENT_DRIVEN: DebuggerState = { clean: false, flaskDebug: true };
const PRODUCTION_OFF: DebuggerState = { clean: false, flaskDebug: false };

// Each fixture app, how the probe starts it, and the debugger state migrate must produce.
interface BehaviourCase {
  name: string;
  probe: [string, string];
  after: DebuggerState;
  /** The variable that opts in after migrate, when the app reads its own (default FLASK_DEBUG). */
  optIn?: string;
  /** Variables every run gets (a production config that refuses to start without SECRET_KEY). */
  env?: Record<string, string>;
}

const CASES: BehaviourCase[] = [
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
  // A settings object read by app.run(debug=settings.DEBUG) and elsewhere: the read goes, the setting stays.
  { name: 'settings-object', probe: ['script', 'app.py'], after: ENVIRONMENT_DRIVEN },
  // os imported only inside another function, and a parameter called os where run_simple is called.
  { name: 'run-simple-local-os', probe: ['script', 'serve.py'], after: ENVIRONMENT_DRIVEN },
  { name: 'run-simple-shadowed-os', probe: ['script', 'serve.py'], after: ENVIRONMENT_DRIVEN },
  { name: 'hard-wired-dev-config', probe: ['factory', 'app:create_app()'], after: ENVIRONMENT_DRIVEN },
  // The map's default becomes a ProductionConfig that asserts SECRET_KEY (see the refusal test below).
  {
    name: 'production-requires-secret',
    probe: ['factory', 'app:create_app()'],
    after: ENVIRONMENT_DRIVEN,
    env: { SECRET_KEY: 'a-long-random-production-secret-for-the-test' },
  },
  // Environment reads whose default is on: the default flips, the variable keeps working.
  { name: 'env-default-flask-debug', probe: ['factory', 'app:app'], after: ENVIRONMENT_DRIVEN },
  { name: 'env-default-app-variable', probe: ['script', 'app.py'], after: ENVIRONMENT_DRIVEN, optIn: 'APP_DEBUG' },
  // The Flask family under the real frameworks: Dash reads DASH_DEBUG when run() is given no debug.
  { name: 'dash-run', probe: ['script', 'app.py'], after: ENVIRONMENT_DRIVEN, optIn: 'DASH_DEBUG' },
  { name: 'apiflask-run', probe: ['script', 'app.py'], after: ENVIRONMENT_DRIVEN },
];

/** Runs the probe with only the variables given (and what running needs). */
function probe(folder: string, [mode, target]: [string, string], variables: Record<string, string>) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    ...variables,
  };
  return execa(python, [PROBE, mode, target], { cwd: folder, env, extendEnv: false, reject: false, all: true });
}

/** Runs the app under real Flask with the server start stubbed: is the debugger (or debug mode) on? */
async function debuggerOn(
  folder: string,
  probeTarget: [string, string],
  variables: Record<string, string>,
): Promise<boolean> {
  const result = await probe(folder, probeTarget, variables);
  expect(result.exitCode, result.all).toBe(0);
  const state = JSON.parse(must(String(result.stdout).trim().split('\n').at(-1))) as {
    debugger: boolean;
    app_debug: boolean;
  };
  return state.debugger || state.app_debug;
}

async function stateOf(
  folder: string,
  { probe: target, env = {} }: BehaviourCase,
  optIn: string,
): Promise<DebuggerState> {
  return {
    clean: await debuggerOn(folder, target, env),
    flaskDebug: await debuggerOn(folder, target, { ...env, [optIn]: '1' }),
  };
}

describe('migrated apps behave as the safety model says, under real Flask', () => {
  let workspace: TempProject;
  beforeAll(async () => {
    workspace = await migratedCopy(FIXTURES, 'secure-flask-behaviour-');
  }, 120_000);
  afterAll(() => workspace.remove());

  it('covers every fixture folder', () => {
    expect(new Set(CASES.map((c) => c.name))).toEqual(new Set(readdirSync(FIXTURES)));
  });

  it.each(CASES)(
    '$name ($probe.1): hard-coded on before; after: clean=$after.clean, opted in -> $after.flaskDebug',
    async (behaviour) => {
      expect(await stateOf(join(workspace.root, 'before', behaviour.name), behaviour, 'FLASK_DEBUG')).toEqual(
        HARD_CODED_ON,
      );
      expect(
        await stateOf(join(workspace.root, 'after', behaviour.name), behaviour, behaviour.optIn ?? 'FLASK_DEBUG'),
      ).toEqual(behaviour.after);
    },
  );

  it('the production config the map now defaults to refuses to start without SECRET_KEY, and migrate says so', async () => {
    const before = await probe(
      join(workspace.root, 'before', 'production-requires-secret'),
      ['factory', 'app:create_app()'],
      {},
    );
    expect(before.exitCode, before.all).toBe(0);
    const after = await probe(
      join(workspace.root, 'after', 'production-requires-secret'),
      ['factory', 'app:create_app()'],
      {},
    );
    expect(after.exitCode).not.toBe(0);
    expect(after.all).toContain('SECRET_KEY must be set in production');
    const local = await probe(
      join(workspace.root, 'after', 'production-requires-secret'),
      ['factory', 'app:create_app()'],
      { FLASK_CONFIG: 'development' },
    );
    expect(local.exitCode, local.all).toBe(0);
    const plan = await planMigration({
      paths: ['.'],
      includeTests: false,
      cwd: join(workspace.root, 'before', 'production-requires-secret'),
      jobs: 1,
    });
    const notices = plan.files.flatMap((file) =>
      file.changes.flatMap((change) => (change.fix.notice ? [change.fix.notice] : [])),
    );
    expect(notices).toEqual([
      'with no config selected the app now loads ProductionConfig, which refuses to start without SECRET_KEY: set SECRET_KEY, or select "development" (FLASK_CONFIG=development) for local runs',
    ]);
  });

  it('every migrated file compiles, and check finds nothing left to fix', async () => {
    const compiled = await execa(python, ['-m', 'compileall', '-q', '.'], {
      cwd: join(workspace.root, 'after'),
      reject: false,
      all: true,
    });
    expect(compiled.exitCode, compiled.all).toBe(0);
    const check = await secureFlask(['check', '.'], { cwd: join(workspace.root, 'after') });
    expect(check.exitCode, check.stdout).toBe(0);
    const again = await secureFlask(['migrate', '.'], { cwd: join(workspace.root, 'after') });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^migrate: 0 changed/m);
  });
});
