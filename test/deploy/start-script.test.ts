import { describe, expect, it } from 'vitest';
import { loadDeployModel } from '../../src/deploy/model-loader.js';
import { withShellGrammar } from '../../src/deploy/shell/shell-parser.js';
import type { DeployModel } from '../../src/deploy/model.js';

/** The model of an in-memory repository at /repo whose files are `files`, with `startScripts` offered as such. */
function modelOf(files: Record<string, string>, startScripts: string[]): Promise<DeployModel> {
  const deployFiles = Object.keys(files)
    .filter((path) => path.endsWith('Procfile'))
    .map((path) => ({ path, kind: 'procfile' as const }));
  return withShellGrammar(() =>
    loadDeployModel({ root: '/repo', files: deployFiles, readText: (path) => files[path], startScripts }),
  );
}

const START = '#!/bin/sh\nexport FLASK_DEBUG=1\nexec gunicorn --bind 0.0.0.0:8000 wsgi:app\n';

describe('a start script no deploy file runs', () => {
  it('is a production entrypoint of its own when it starts a server; one named for development is no deployment', async () => {
    const model = await modelOf({ '/repo/start.sh': START, '/repo/start_dev.sh': START }, [
      '/repo/start.sh',
      '/repo/start_dev.sh',
    ]);
    expect(
      model.entrypoints.map((entrypoint) => [entrypoint.name, entrypoint.role, entrypoint.serves.target.kind]),
    ).toEqual([['start.sh (a start script no deploy file runs)', 'production', 'wsgi-server']]);
    expect(model.entrypoints[0]?.scripts.map((script) => script.exports.map((setting) => setting.name))).toEqual([
      ['FLASK_DEBUG'],
    ]);
  });

  it('is not one when a deploy file runs it, or when it starts no server', async () => {
    const model = await modelOf(
      { '/repo/Procfile': 'web: sh start.sh\n', '/repo/start.sh': START, '/repo/lint.sh': 'ruff check .\n' },
      ['/repo/start.sh', '/repo/lint.sh'],
    );
    expect(model.entrypoints.map((entrypoint) => entrypoint.name)).toEqual(['Procfile process web']);
  });

  it("is a developer's setup when it makes its own virtualenv and starts the development server", async () => {
    const setup = 'python3 -m venv .venv\n. .venv/bin/activate\nexport FLASK_ENV=development\nflask run\n';
    const provision = 'python3 -m venv /srv/venv\nexec /srv/venv/bin/gunicorn wsgi:app\n';
    const model = await modelOf({ '/repo/notes.sh': setup, '/repo/provision.sh': provision }, [
      '/repo/notes.sh',
      '/repo/provision.sh',
    ]);
    expect(model.entrypoints.map((entrypoint) => [entrypoint.name, entrypoint.role])).toEqual([
      ['notes.sh (a start script no deploy file runs)', 'development'],
      ['provision.sh (a start script no deploy file runs)', 'production'],
    ]);
  });

  it('decides the role from the parsed commands: a venv made in a one-liner, `$PYTHON -m venv`, or pip installs', async () => {
    const oneLiner = '[ -d venv ] || python3 -m venv venv\n. venv/bin/activate\npython -m app.run\n';
    const variable = 'PY=python3\n$PY -m venv .venv\n.venv/bin/flask run\n';
    const pip = 'pip install -r requirements.txt\nexport FLASK_DEBUG=1\npython app/run.py\n';
    const onServer = 'source /srv/venv/bin/activate\nnohup python -m app.run &\n';
    const model = await modelOf(
      {
        '/repo/scripts/start_simple.sh': oneLiner,
        '/repo/run_flask.sh': variable,
        '/repo/go.sh': pip,
        '/repo/serve.sh': onServer,
        '/repo/app/run.py': 'app.run()\n',
      },
      ['/repo/scripts/start_simple.sh', '/repo/run_flask.sh', '/repo/go.sh', '/repo/serve.sh'],
    );
    expect(model.entrypoints.map((entrypoint) => [entrypoint.name.split(' ')[0], entrypoint.role])).toEqual([
      ['start_simple.sh', 'development'],
      ['run_flask.sh', 'development'],
      ['go.sh', 'development'],
      // An existing virtualenv activated, no setup: nothing says this is a developer's machine.
      ['serve.sh', 'production'],
    ]);
    // Each command of the script carries the role, with why.
    const [simple] = model.entrypoints;
    expect(simple?.scripts[0]?.commands.map((command) => command.role)).toEqual([
      { role: 'development', reason: expect.stringMatching(/^it creates a virtualenv and starts/) },
      { role: 'development', reason: expect.stringMatching(/^it creates a virtualenv and starts/) },
    ]);
  });

  it('a script a production start script calls keeps its own role: its commands are development', async () => {
    const model = await modelOf(
      {
        '/repo/start.sh': 'case "$1" in\n  simple) ./scripts/simple.sh ;;\n  *) exec gunicorn wsgi:app ;;\nesac\n',
        '/repo/scripts/simple.sh': '#!/bin/sh\npython3 -m venv .venv\npython wsgi.py\n',
        '/repo/wsgi.py': 'app.run()\n',
      },
      ['/repo/start.sh'],
    );
    const [start] = model.entrypoints;
    expect(start?.role).toBe('production');
    expect(start?.scripts.map((script) => [script.path, script.role?.role])).toEqual([
      ['/repo/start.sh', 'production'],
      ['/repo/scripts/simple.sh', 'development'],
    ]);
    const run = start?.scripts[1]?.commands.find((command) => command.target.kind === 'python-script');
    expect(run?.role?.role).toBe('development');
  });

  it('is no run of the app when its Python command is a tool that serves nothing (a compose generator)', async () => {
    const configure =
      'import yaml\n\ndef generate(path):\n    yaml.safe_dump({}, open(path, "w"))\n\ngenerate("x.yml")\n';
    const model = await modelOf(
      {
        '/repo/run.sh': 'python3 configure.py\ndocker-compose pull dash\ndocker-compose up -d\n',
        '/repo/configure.py': configure,
        '/repo/serve.sh': 'python3 configure.py\npython3 app.py\n',
        '/repo/app.py': 'from dash import Dash\napp = Dash()\napp.run()\n',
        // Not in the repository: it may serve, as before.
        '/repo/other.sh': 'python3 elsewhere.py\n',
        // A seed script that builds the app from a project module: that module runs nothing when imported.
        '/repo/seed.sh': 'python3 seed.py\n',
        '/repo/seed.py': 'from shop import create_app\ncreate_app().test_client()\n',
        '/repo/shop/__init__.py': 'def create_app():\n    pass\n\nif __name__ == "__main__":\n    app.run()\n',
        // It imports a project module that starts the server when imported (app.run() at its top level).
        '/repo/web/start.sh': 'python3 web/wsgi.py\n',
        '/repo/web/wsgi.py': 'from site_app import app\n',
        '/repo/web/site_app.py': 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n',
      },
      ['/repo/run.sh', '/repo/serve.sh', '/repo/other.sh', '/repo/seed.sh', '/repo/web/start.sh'],
    );
    expect(model.entrypoints.map((entrypoint) => [entrypoint.name.split(' ')[0], entrypoint.serves.argv])).toEqual([
      ['serve.sh', ['python3', 'app.py']],
      ['other.sh', ['python3', 'elsewhere.py']],
      ['start.sh', ['python3', 'web/wsgi.py']],
    ]);
  });
});
