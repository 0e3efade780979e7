import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RuntimeEntrypoint } from '../../src/runtime/entrypoint.js';
import { createHarness, verifyEntrypoint, type EntrypointOutcome } from '../../src/runtime/launch.js';
import { planLaunch } from '../../src/runtime/launch-plan.js';
import { loadShellParser } from '../../src/deploy/shell/shell-parser.js';
import { DEFAULT_PROBE_OPTIONS } from '../../src/runtime/probe.js';
import { groupAlive } from '../support/group-server.js';
import { tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');

const FLASK_APP = `from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "hello"
`;

let project: TempProject;
let harness: { dir: string; remove: () => void };
// planLaunch reads `sh -c` text with the bash grammar; verify loads it before planning (launch.ts).
beforeAll(() => loadShellParser());

beforeAll(() => {
  project = tempProject('secure-flask-launch-');
  harness = createHarness();
  project.write('app.py', FLASK_APP);
  // app.run() with its own public host and port, as scripts are written for containers.
  project.write(
    'serve_debug.py',
    `${FLASK_APP}\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000, debug=True)\n`,
  );
  project.write(
    'serve_quiet.py',
    `${FLASK_APP}\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=int(__import__("os").environ.get("PORT", 5000)))\n`,
  );
  project.write(
    'serve_socketio.py',
    `${FLASK_APP}\nfrom flask_socketio import SocketIO\n\nsocketio = SocketIO(app, async_mode="threading")\n\nif __name__ == "__main__":\n    socketio.run(app, host="0.0.0.0", port=5000, debug=True, allow_unsafe_werkzeug=True)\n`,
  );
  // A server the harness does not know, binding every interface: the loopback guard refuses it.
  project.write(
    'serve_wsgiref.py',
    `${FLASK_APP}\nfrom wsgiref.simple_server import make_server\n\nmake_server("0.0.0.0", 8000, app).serve_forever()\n`,
  );
  project.write('crash.py', 'raise SystemExit("missing SECRET_KEY")\n');
  project.write('pkg/__init__.py', '');
  project.write('pkg/__main__.py', `from app import app\n\napp.run(host="0.0.0.0", debug=True)\n`);
});
afterAll(() => {
  harness.remove();
  project.remove();
});

function entrypoint(argv: string[], env: Record<string, string> = {}, workdir = '.'): RuntimeEntrypoint {
  return { file: 'Procfile', name: 'web', kind: 'test', role: 'production', argv, workdir, env };
}

async function verify(argv: string[], env: Record<string, string> = {}): Promise<EntrypointOutcome> {
  const outcome = await verifyEntrypoint(entrypoint(argv, env), harness.dir, {
    root: project.root,
    python,
    startTimeoutMs: 20_000,
    probe: DEFAULT_PROBE_OPTIONS,
  });
  // Whatever happened, nothing verify started is still running.
  if (outcome.pid !== undefined) {
    expect(outcome.stopped).toBe(true);
    expect(groupAlive(outcome.pid)).toBe(false);
  }
  return outcome;
}

const exposureIds = (outcome: EntrypointOutcome) => (outcome.probe?.exposures ?? []).map((found) => found.id).sort();
const servedPort = (outcome: EntrypointOutcome) => Number(new URL(must(outcome.url)).port);

describe('verify runs each kind of command on 127.0.0.1 and stops it', () => {
  it('python app.py with app.run(host="0.0.0.0", port=5000, debug=True): the harness moves it to loopback; exposed', async () => {
    const outcome = await verify(['python', 'serve_debug.py']);
    expect(outcome.status, outcome.logTail.join('\n')).toBe('exposed');
    expect(servedPort(outcome)).not.toBe(5000);
    expect(exposureIds(outcome)).toEqual(['debugger-console', 'debugger-served', 'development-server']);
    expect(outcome.logTail.join('\n')).toContain(`Running on http://127.0.0.1:${servedPort(outcome)}`);
  });

  it('python app.py without debug: clean (the development server alone is a warning)', async () => {
    const outcome = await verify(['python3', '-u', 'serve_quiet.py']);
    expect(outcome.status, outcome.logTail.join('\n')).toBe('clean');
    expect(exposureIds(outcome)).toEqual(['development-server']);
  });

  it('socketio.run(app, debug=True) is moved to loopback too; exposed', async () => {
    const outcome = await verify(['python', 'serve_socketio.py']);
    expect(outcome.status, outcome.logTail.join('\n')).toBe('exposed');
    expect(exposureIds(outcome)).toContain('debugger-served');
  });

  it('python -m pkg runs the package as __main__ under the harness', async () => {
    const outcome = await verify(['python', '-m', 'pkg']);
    expect(outcome.status, outcome.logTail.join('\n')).toBe('exposed');
  });

  it('flask run --host 0.0.0.0 with FLASK_DEBUG=1 from the deploy file: exposed; without it: clean', async () => {
    const debug = await verify(['flask', 'run', '--host', '0.0.0.0', '--port', '5000'], {
      FLASK_APP: 'app',
      FLASK_DEBUG: '1',
    });
    expect(debug.status, debug.logTail.join('\n')).toBe('exposed');
    expect(debug.command).toEqual([
      python,
      '-m',
      'flask',
      'run',
      '--host',
      '127.0.0.1',
      '--port',
      String(servedPort(debug)),
      '--no-reload',
    ]);
    expect(debug.envNames).toEqual(['FLASK_APP', 'FLASK_DEBUG']);
    const quiet = await verify(['flask', 'run', '--host=0.0.0.0'], { FLASK_APP: 'app' });
    expect(quiet.status, quiet.logTail.join('\n')).toBe('clean');
  });

  it('gunicorn --bind 0.0.0.0:8000 --daemon: bound to loopback, kept in the foreground; clean', async () => {
    const outcome = await verify(['gunicorn', '--bind', '0.0.0.0:8000', '--daemon', '-w', '2', 'app:app']);
    expect(outcome.status, outcome.logTail.join('\n')).toBe('clean');
    expect(outcome.command).toEqual([
      python,
      '-m',
      'gunicorn',
      '-w',
      '2',
      'app:app',
      '--bind',
      `127.0.0.1:${servedPort(outcome)}`,
    ]);
    expect(outcome.probe?.exposures).toEqual([]);
  });

  it('gunicorn.conf.py with daemon = True: the daemon stays in the process group, is probed and stopped', async () => {
    project.write('daemon/gunicorn.conf.py', 'daemon = True\nbind = "0.0.0.0:8000"\n');
    project.write('daemon/app.py', FLASK_APP);
    const outcome = await verifyEntrypoint(entrypoint(['gunicorn', 'app:app'], {}, 'daemon'), harness.dir, {
      root: project.root,
      python,
      startTimeoutMs: 20_000,
      probe: DEFAULT_PROBE_OPTIONS,
    });
    expect(outcome.status, outcome.logTail.join('\n')).toBe('clean');
    expect(outcome.stopped).toBe(true);
    expect(groupAlive(must(outcome.pid))).toBe(false);
  });

  it('a shell form with a migration step: only the server runs, the step is listed', async () => {
    const outcome = await verify(['sh', '-c', 'flask db upgrade && exec gunicorn -b 0.0.0.0:$PORT app:app']);
    expect(outcome.status, outcome.logTail.join('\n')).toBe('clean');
    expect(outcome.skippedSteps).toEqual(['flask db upgrade']);
  });

  it('waitress-serve --port=8080: --listen on loopback; clean', async () => {
    const outcome = await verify(['waitress-serve', '--port=8080', 'app:app']);
    expect(outcome.status, outcome.logTail.join('\n')).toBe('clean');
    expect(outcome.command?.slice(1, 4)).toEqual(['-m', 'waitress', `--listen=127.0.0.1:${servedPort(outcome)}`]);
  });

  it('a bind outside loopback that no launcher knows is refused inside Python: did not start, with the log tail', async () => {
    const outcome = await verify(['python', 'serve_wsgiref.py']);
    expect(outcome.status).toBe('not-started');
    expect(outcome.reason).toMatch(/^exited before serving \(exit code 1\)$/);
    expect(outcome.logTail.join('\n')).toContain(
      "secure-flask verify: refused to bind ('0.0.0.0', 8000): verify only listens on 127.0.0.1",
    );
  });

  it('a command that exits at start: did not start, with its last words', async () => {
    const outcome = await verify(['python', 'crash.py']);
    expect(outcome.status).toBe('not-started');
    expect(outcome.logTail).toContain('missing SECRET_KEY');
  });

  it('a program verify cannot keep on loopback is not run', async () => {
    const outcome = await verify(['uwsgi', '--http', ':8000', '--module', 'app:app']);
    expect(outcome).toMatchObject({
      status: 'not-run',
      reason: expect.stringContaining("verify does not know how to keep 'uwsgi' on 127.0.0.1"),
    });
    expect(outcome.pid).toBeUndefined();
  });

  it("the caller's environment stays out: only PATH and HOME, plus what the deploy file sets", async () => {
    project.write(
      'show_env.py',
      `${FLASK_APP}\nimport os\nprint("ENV", sorted(k for k in os.environ if not k.startswith(("PYTHON", "LC_", "WERKZEUG"))), flush=True)\napp.run()\n`,
    );
    process.env.SECURE_FLASK_TEST_LEAK = 'secret';
    try {
      const outcome = await verify(['python', 'show_env.py'], { APP_ENV: 'production' });
      expect(outcome.status, outcome.logTail.join('\n')).toBe('clean');
      // SECURE_FLASK_VERIFY_RUN marks the run's processes (how verify finds one that left the group).
      expect(outcome.logTail).toContain(
        "ENV ['APP_ENV', 'FLASK_SKIP_DOTENV', 'HOME', 'PATH', 'PORT', 'SECURE_FLASK_VERIFY_RUN']",
      );
    } finally {
      delete process.env.SECURE_FLASK_TEST_LEAK;
    }
  });
});

describe('planLaunch forces the address in the way each server reads it', () => {
  const plan = (argv: string[], env: Record<string, string> = {}) => {
    const decision = planLaunch(argv, env, 4321, '/h/run.py');
    if (!decision.ok) throw new Error(decision.reason);
    return decision.plan;
  };

  it('gunicorn: every bind spelling dropped, one --bind added', () => {
    expect(plan(['gunicorn', '-b', '0.0.0.0:80', '--bind=[::]:80', '-b:8000', 'wsgi:app']).args).toEqual([
      '-m',
      'gunicorn',
      'wsgi:app',
      '--bind',
      '127.0.0.1:4321',
    ]);
    expect(plan(['python', '-m', 'gunicorn', 'wsgi:app', '-c', 'gunicorn.conf.py']).args).toEqual([
      '-m',
      'gunicorn',
      'wsgi:app',
      '-c',
      'gunicorn.conf.py',
      '--bind',
      '127.0.0.1:4321',
    ]);
    // Debian's gunicorn3 is gunicorn, run as the module of the Python verify runs.
    expect(plan(['/usr/bin/gunicorn3', '-b', '0.0.0.0:80', 'wsgi:app'])).toMatchObject({
      server: 'gunicorn',
      args: ['-m', 'gunicorn', 'wsgi:app', '--bind', '127.0.0.1:4321'],
    });
  });

  it('flask run: host and port options dropped, loopback and no reloader added; options before run kept', () => {
    expect(plan(['flask', '--app', 'web', '--debug', 'run', '-h', '0.0.0.0', '-p', '80', '--reload']).args).toEqual([
      '-m',
      'flask',
      '--app',
      'web',
      '--debug',
      'run',
      '--host',
      '127.0.0.1',
      '--port',
      '4321',
      '--no-reload',
    ]);
  });

  it('waitress-serve: --listen first (getopt stops at the app)', () => {
    expect(plan(['waitress-serve', '--host', '0.0.0.0', '--listen=*:80', '--threads=4', 'wsgi:app']).args).toEqual([
      '-m',
      'waitress',
      '--listen=127.0.0.1:4321',
      '--threads=4',
      'wsgi:app',
    ]);
  });

  it('python scripts go through the harness; wrappers, env prefixes and $VARS are resolved', () => {
    const script = plan(
      ['env', 'APP_ENV=production', 'poetry', 'run', 'python3', '-u', '${APP_DIR:-src}/app.py', '--port', '$PORT'],
      { APP_DIR: 'web' },
    );
    expect(script.args).toEqual(['-u', '/h/run.py', '4321', 'script', 'web/app.py', '--port', '4321']);
    expect(script.env).toEqual({ APP_ENV: 'production' });
    expect(plan(['exec', 'python', '-m', 'myapp']).args).toEqual(['/h/run.py', '4321', 'module', 'myapp']);
    // Flags that would skip PYTHONPATH or site (and the loopback guard) go.
    expect(plan(['python', '-I', '-uS', 'app.py']).args).toEqual(['-u', '/h/run.py', '4321', 'script', 'app.py']);
  });

  it('refuses what it cannot run safely', () => {
    expect(planLaunch(['uvicorn', 'main:app'], {}, 1, 'h')).toMatchObject({ ok: false });
    expect(planLaunch(['sh', '-c', 'gunicorn --workers $(nproc) app:app'], {}, 1, 'h')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('shell features'),
    });
    expect(planLaunch(['sh', '-c', 'gunicorn app:app | tee log'], {}, 1, 'h')).toMatchObject({
      ok: true,
      plan: { server: 'gunicorn', skipped: ['tee log'] },
    });
    expect(planLaunch(['python', '-c', 'print(1)'], {}, 1, 'h')).toMatchObject({ ok: false });
    expect(planLaunch(['flask', 'db', 'upgrade'], {}, 1, 'h')).toMatchObject({ ok: false });
  });
});
