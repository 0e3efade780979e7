import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileKindOf } from '../../src/files/file-kinds.js';
import { classifyArgv, unwrapCommand } from '../../src/deploy/model-command.js';
import { dockerfileModel } from '../../src/deploy/formats/dockerfile.js';
import { scriptFacts } from '../../src/deploy/formats/script.js';
import { parseShellCommands } from '../../src/deploy/shell/shell-commands.js';
import { loadShellParser } from '../../src/deploy/shell/shell-parser.js';
import { substituteVariables as substituteDockerVariables } from '../../src/deploy/variables.js';
import { loadDeployModel, type DeployFileRef } from '../../src/deploy/model-loader.js';
import { effectiveEnvironment, type DeployModel, type Entrypoint } from '../../src/deploy/model.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { must } from '../support/must.js';

const FIXTURES = join(REPO_ROOT, 'fixtures', 'deploy-model');

beforeAll(() => loadShellParser());

function modelOf(name: string): DeployModel {
  const root = join(FIXTURES, name);
  const files: DeployFileRef[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) visit(path);
      const kind = entry === 'Makefile' ? 'makefile' : fileKindOf(entry);
      if (kind && kind !== 'python' && kind !== 'env' && kind !== 'script') files.push({ path, kind });
    }
  };
  visit(root);
  return loadDeployModel({
    root,
    files,
    readText: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  });
}

/** An entrypoint as a reader would describe it: paths relative to the fixture, lines not offsets. */
function describeEntrypoint(model: DeployModel, entrypoint: Entrypoint) {
  const where = (span: { path: string; line: number }) =>
    `${relative(model.root, span.path).split(sep).join('/')}:${span.line}`;
  return {
    name: entrypoint.name,
    kind: entrypoint.kind,
    role: entrypoint.role,
    argv: entrypoint.command.argv,
    at: where(entrypoint.command.at),
    // The script file the model resolved, relative to the root (absolute paths differ per checkout).
    serves:
      'file' in entrypoint.serves.target && entrypoint.serves.target.file
        ? {
            ...entrypoint.serves.target,
            file: relative(model.root, entrypoint.serves.target.file).split(sep).join('/'),
          }
        : entrypoint.serves.target,
    servesAt: where(entrypoint.serves.at),
    workingDirectory: entrypoint.workingDirectory,
    environment: [...effectiveEnvironment(entrypoint).values()].map(
      (setting) =>
        `${setting.name}=${setting.value} (${where(setting.at)}${setting.via ? ` via ${where(setting.via)}` : ''})`,
    ),
    scripts: entrypoint.scripts.map((script) => where({ path: script.path, line: 1 }).replace(/:1$/, '')),
  };
}

function entrypointsOf(name: string) {
  const model = modelOf(name);
  return model.entrypoints.map((entrypoint) => describeEntrypoint(model, entrypoint));
}

describe('deploy model: commands', () => {
  it('splits shell lines into simple commands with quotes, assignments and separators', () => {
    const commands = parseShellCommands(
      `FLASK_DEBUG=1 flask run --host "0.0.0.0" && exec gunicorn 'app:create_app()' # comment`,
    );
    expect(
      commands.map((command) => [command.assignments.map(({ name, value }) => ({ name, value })), command.argv]),
    ).toEqual([
      [[{ name: 'FLASK_DEBUG', value: '1' }], ['flask', 'run', '--host', '0.0.0.0']],
      [[], ['exec', 'gunicorn', 'app:create_app()']],
    ]);
  });

  it('removes wrappers: exec, env, gosu, poetry run', () => {
    expect(unwrapCommand(['exec', 'gosu', 'app', 'env', 'A=1', 'poetry', 'run', 'gunicorn', 'wsgi:app'])).toEqual({
      argv: ['gunicorn', 'wsgi:app'],
      assignments: [{ name: 'A', value: '1' }],
    });
  });

  it.each([
    [['flask', 'run', '--debug'], { kind: 'flask-run', debug: true, debugFlag: '--debug' }],
    [['flask', '--debug', 'run'], { kind: 'flask-run', debug: true, debugFlag: '--debug' }],
    [
      ['flask', '--app', 'web:create_app', 'run', '--port', '80'],
      { kind: 'flask-run', debug: false, app: 'web:create_app' },
    ],
    [['python3', '-m', 'flask', 'run'], { kind: 'flask-run', debug: false }],
    [['flask', 'run', '--debugger'], { kind: 'flask-run', debug: true, debugFlag: '--debugger' }],
    [['flask', '--debug', 'run', '--no-debug'], { kind: 'flask-run', debug: false }],
    [['flask', 'db', 'upgrade'], { kind: 'other', program: 'flask db' }],
    [['python3', '-u', 'manage.py', 'runserver'], { kind: 'manage-run', script: 'manage.py', subcommand: 'runserver' }],
    [['python', 'manage.py', 'run'], { kind: 'manage-run', script: 'manage.py', subcommand: 'run' }],
    [['python', '-W', 'ignore', '-B', 'src/app.py'], { kind: 'python-script', script: 'src/app.py' }],
    [['python', '-c', 'print(1)'], { kind: 'other', program: 'python -c' }],
    [
      ['gunicorn', '-w', '4', '--reload', '-b', ':8000', 'app:app'],
      { kind: 'wsgi-server', server: 'gunicorn', app: 'app:app' },
    ],
    [
      ['gunicorn', '--bind=0.0.0.0:80', '-k', 'gevent', 'wsgi'],
      { kind: 'wsgi-server', server: 'gunicorn', app: 'wsgi' },
    ],
    [['python', '-m', 'gunicorn', 'app:app'], { kind: 'wsgi-server', server: 'gunicorn', app: 'app:app' }],
    [
      ['waitress-serve', '--port=8080', '--call', 'app:create_app'],
      { kind: 'wsgi-server', server: 'waitress', app: 'app:create_app' },
    ],
    [['uwsgi', '--http', ':9090', '--module', 'wsgi:app'], { kind: 'wsgi-server', server: 'uwsgi', app: 'wsgi:app' }],
    [['bash', '-e', 'start.sh'], { kind: 'shell-script', script: 'start.sh' }],
    [['./entrypoint.sh'], { kind: 'shell-script', script: './entrypoint.sh' }],
  ])('classifies %j', (argv, target) => {
    expect(classifyArgv(argv)).toEqual(target);
  });

  it('resolves Dockerfile variables as Docker does', () => {
    const known = new Map([
      ['A', 'x'],
      ['EMPTY', ''],
    ]);
    expect(substituteDockerVariables('$A ${A} ${B:-dflt} ${A:+alt} ${EMPTY:-e} ${MISSING}', known)).toBe(
      'x x dflt alt e ',
    );
  });
});

describe('deploy model: fixture repositories', () => {
  it('Dockerfile: stages, split exec form with interpreter flags, ENV in both syntaxes with ARG defaults resolved', () => {
    expect(entrypointsOf('docker-stages')).toEqual([
      {
        name: 'Dockerfile (stage dev)',
        kind: 'dockerfile',
        role: 'development',
        argv: ['flask', '--debug', 'run', '--host=0.0.0.0'],
        at: 'Dockerfile:13',
        serves: { kind: 'flask-run', debug: true, debugFlag: '--debug' },
        servesAt: 'Dockerfile:13',
        workingDirectory: '/srv/app',
        environment: ['FLASK_DEBUG=1 (Dockerfile:12)', 'APP_HOME=/srv/app (Dockerfile:5)'],
        scripts: [],
      },
      {
        name: 'Dockerfile (final stage production)',
        kind: 'dockerfile',
        role: 'production',
        argv: ['python3', '-u', 'app.py'],
        at: 'Dockerfile:18',
        serves: { kind: 'python-script', script: 'app.py', file: 'app.py' },
        servesAt: 'Dockerfile:18',
        workingDirectory: '/srv/app',
        environment: [
          'FLASK_DEBUG=false (Dockerfile:4)',
          'APP_HOME=/srv/app (Dockerfile:5)',
          'SETTINGS=production (Dockerfile:16)',
        ],
        scripts: [],
      },
    ]);
    const model = modelOf('docker-stages');
    const debug = must(model.entrypoints[1]).environment.find((setting) => setting.name === 'FLASK_DEBUG');
    // The value came from `ARG FLASK_DEBUG="false"`: the evidence points at the ARG line.
    expect(debug?.argDefault?.line).toBe(3);
  });

  it('Dockerfile: an ENTRYPOINT script that ends in exec "$@" serves the CMD, with the exports it sets', () => {
    const [image] = entrypointsOf('docker-entrypoint-script');
    expect(image).toMatchObject({
      argv: ['docker-entrypoint.sh', 'gunicorn', '-b', '0.0.0.0:8000', '--workers', '3', 'wsgi:app'],
      serves: { kind: 'wsgi-server', server: 'gunicorn', app: 'wsgi:app' },
      servesAt: 'Dockerfile:6',
      environment: ['FLASK_APP=app (docker-entrypoint.sh:3)', 'DATABASE_READY=1 (docker-entrypoint.sh:5)'],
      scripts: ['docker-entrypoint.sh'],
    });
  });

  it('Procfile: web and other process types are production, Procfile.dev is development', () => {
    const described = entrypointsOf('procfile').map(({ name, role, serves, environment }) => ({
      name,
      role,
      serves,
      environment,
    }));
    expect(described).toEqual([
      {
        name: 'Procfile process web',
        role: 'production',
        serves: { kind: 'wsgi-server', server: 'gunicorn', app: 'app:app' },
        environment: [],
      },
      {
        name: 'Procfile process release',
        role: 'production',
        serves: { kind: 'other', program: 'manage.py db' },
        environment: [],
      },
      {
        name: 'Procfile process worker',
        role: 'production',
        serves: { kind: 'other', program: 'celery' },
        environment: [],
      },
      {
        name: 'Procfile.dev process web',
        role: 'development',
        serves: { kind: 'flask-run', debug: false, app: 'app' },
        environment: ['FLASK_DEBUG=1 (Procfile.dev:1)'],
      },
    ]);
  });

  it('compose: services take the built Dockerfile command and env, env_file is read; the override file is development', () => {
    const described = entrypointsOf('compose');
    expect(described.map(({ name, role }) => `${name}: ${role}`)).toEqual([
      'Dockerfile: production',
      'docker-compose.override.yml service web: development',
      'docker-compose.yml service web: production',
      'docker-compose.yml service worker: production',
    ]);
    expect(described[2]).toMatchObject({
      argv: ['gunicorn', '--bind', '0.0.0.0:$PORT', 'app:app'],
      at: 'Dockerfile:4',
      serves: { kind: 'wsgi-server', server: 'gunicorn', app: 'app:app' },
      workingDirectory: '/code',
      environment: [
        'PORT=8000 (Dockerfile:3)',
        'SETTINGS=production (docker-compose.yml:5)',
        'APP_MODE=prod (web.env:1 via docker-compose.yml:7)',
        'FLASK_DEBUG=0 (web.env:2 via docker-compose.yml:7)',
      ],
    });
    expect(described[1]).toMatchObject({
      serves: { kind: 'flask-run', debug: true, debugFlag: '--debug' },
      environment: ['FLASK_DEBUG=1 (docker-compose.override.yml:5)'],
    });
    expect(described[3]).toMatchObject({
      argv: ['python', 'worker.py'],
      serves: { kind: 'python-script', script: 'worker.py' },
    });
  });

  it('systemd: Environment= (quoted words) and an EnvironmentFile= found in the repository by its path tail', () => {
    const [unit] = entrypointsOf('systemd-unit');
    expect(unit).toEqual({
      name: 'app.service ExecStart',
      kind: 'systemd',
      role: 'production',
      argv: ['/srv/app/venv/bin/gunicorn', '-w', '3', '-b', '127.0.0.1:8000', 'app:create_app()'],
      at: 'app.service:9',
      serves: { kind: 'wsgi-server', server: 'gunicorn', app: 'app:create_app()' },
      servesAt: 'app.service:9',
      workingDirectory: '/srv/app',
      environment: [
        'FLASK_DEBUG=1 (app.service:7)',
        'GREETING=hello world (app.service:7)',
        'SECRET_SOURCE=vault (deploy/app.env:1 via app.service:8)',
      ],
      scripts: [],
    });
  });

  it('supervisord: bash -c "cd ... && exec python -u manage.py runserver" serves the dev server', () => {
    const [program] = entrypointsOf('supervisor-program');
    expect(program).toMatchObject({
      name: 'supervisord.conf program web',
      role: 'production',
      argv: ['exec', 'python', '-u', 'manage.py', 'runserver', '--host', '0.0.0.0'],
      serves: { kind: 'manage-run', script: 'manage.py', subcommand: 'runserver' },
      workingDirectory: '/srv/app',
      environment: ['FLASK_ENV=development (supervisord.conf:7)', 'LANG=C.UTF-8 (supervisord.conf:7)'],
    });
  });

  it('Kubernetes: command + args are one command line, env and workingDir are read', () => {
    expect(entrypointsOf('kube-workload')).toEqual([
      {
        name: 'Deployment web container app',
        kind: 'kubernetes',
        role: 'production',
        argv: ['python', '-m', 'flask', 'run', '--host=0.0.0.0'],
        at: 'k8s/deployment.yaml:11',
        serves: { kind: 'flask-run', debug: false },
        servesAt: 'k8s/deployment.yaml:11',
        workingDirectory: '/app',
        environment: ['FLASK_DEBUG=1 (k8s/deployment.yaml:15)'],
        scripts: [],
      },
    ]);
  });

  it('Makefile: a target that runs a script is a development entrypoint', () => {
    expect(entrypointsOf('makefile')).toMatchObject([
      {
        name: 'make dev',
        kind: 'makefile',
        role: 'development',
        serves: { kind: 'python-script', script: 'dev_server.py' },
      },
    ]);
  });

  it('a script a Procfile runs is followed: its exports and its last server', () => {
    const [web] = entrypointsOf('boot-script');
    expect(web).toMatchObject({
      argv: ['./boot.sh'],
      serves: { kind: 'flask-run', debug: true, debugFlag: '--debug' },
      servesAt: 'boot.sh:6',
      environment: ['FLASK_DEBUG=1 (boot.sh:2)'],
      scripts: ['boot.sh'],
    });
  });

  it('reads scripts as straight-line code: exports, commands in branches, cd', () => {
    const facts = scriptFacts(
      '/x/start.sh',
      'set -e\nMODE=dev\nexport MODE FLASK_APP=web\nif [ "$MODE" = dev ]; then\n  exec flask run --debug\nelse\n  exec gunicorn web:app\nfi\n',
    );
    expect(facts.exports.map((setting) => `${setting.name}=${setting.value}`)).toEqual(['MODE=dev', 'FLASK_APP=web']);
    expect(facts.commands.map((command) => command.target.kind)).toEqual(['flask-run', 'wsgi-server']);
  });

  it('a Dockerfile ENTRYPOINT set in a later stage drops the CMD inherited from its base', () => {
    const model = dockerfileModel(
      '/x/Dockerfile',
      'FROM python AS base\nCMD ["python", "app.py"]\nFROM base\nENTRYPOINT ["gunicorn", "app:app"]\n',
    );
    expect(model.entrypoints.at(-1)?.command.argv).toEqual(['gunicorn', 'app:app']);
  });
});
