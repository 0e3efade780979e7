import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { loadDeployModel, type DeployFileRef } from '../../src/deploy/model-loader.js';
import { reachOfPythonFinding } from '../../src/deploy/model-reach.js';
import type { DeployModel } from '../../src/deploy/model.js';
import { withShellGrammar } from '../../src/deploy/shell/shell-parser.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { must } from '../support/must.js';

// uWSGI configs, gunicorn config files and vercel.json: production entrypoints no command names.

const KINDS: [RegExp, DeployFileRef['kind']][] = [
  [/\.(?:ini|conf)$/, 'supervisord'],
  [/\.ya?ml$/, 'yaml'],
  [/(?:^|\/)gunicorn[^/]*\.py$/, 'gunicorn-config'],
  [/(?:^|\/)vercel\.json$/, 'vercel'],
  [/(?:^|\/)Procfile$/, 'procfile'],
];

/** The model of an in-memory repository at /repo, each file read as the kind its name gives. */
function modelOf(files: Record<string, string>): Promise<DeployModel> {
  const refs: DeployFileRef[] = Object.keys(files).flatMap((path) => {
    const kind = KINDS.find(([name]) => name.test(path))?.[1];
    return kind ? [{ path, kind }] : [];
  });
  return withShellGrammar(() => loadDeployModel({ root: '/repo', files: refs, readText: (path) => files[path] }));
}

const served = (model: DeployModel) =>
  model.entrypoints.map((entrypoint) => ({
    kind: entrypoint.kind,
    role: entrypoint.role,
    target: entrypoint.serves.target,
  }));

describe('uWSGI config files', () => {
  it.each([
    ['module = wsgi:app', 'wsgi:app'],
    ['module = wsgi', 'wsgi:application'],
    ['wsgi-file = app.py\ncallable = app', 'app.py:app'],
    ['mount = /site=portal:app', 'portal:app'],
  ])('an ini [uwsgi] section with %j serves %s with uwsgi', async (options, app) => {
    const model = await modelOf({ '/repo/apf.ini': `[uwsgi]\n${options}\nmaster = true\n` });
    expect(served(model)).toEqual([
      { kind: 'uwsgi-config', role: 'production', target: { kind: 'wsgi-server', server: 'uwsgi', app } },
    ]);
    expect(reachOfPythonFinding(model, '/repo/app.py', true)).toMatchObject({ reach: 'not-run', level: 'warning' });
  });

  it('an ini without a [uwsgi] section is nothing, whatever its name', async () => {
    const model = await modelOf({ '/repo/uwsgi.ini': '[pytest]\naddopts = -q\n', '/repo/app.ini': '[app]\nx = 1\n' });
    expect(model.entrypoints).toEqual([]);
  });

  it('a YAML config with a top-level uwsgi: map serves its module; one named for development is development', async () => {
    const model = await modelOf({
      '/repo/uwsgi.yaml': 'uwsgi:\n  module: site.wsgi:app\n  processes: 4\n',
      '/repo/uwsgi-dev.yml': 'uwsgi:\n  module: site.wsgi:app\n  py-autoreload: 1\n',
    });
    expect(served(model)).toEqual([
      {
        kind: 'uwsgi-config',
        role: 'production',
        target: { kind: 'wsgi-server', server: 'uwsgi', app: 'site.wsgi:app' },
      },
      {
        kind: 'uwsgi-config',
        role: 'development',
        target: { kind: 'wsgi-server', server: 'uwsgi', app: 'site.wsgi:app' },
      },
    ]);
  });

  it('a config in deploy/uwsgi/ serves the code of the project around it', async () => {
    const model = await modelOf({ '/repo/deploy/uwsgi/site.ini': '[uwsgi]\nwsgi-file = app.py\ncallable = app\n' });
    expect(reachOfPythonFinding(model, '/repo/app.py', true)).toMatchObject({ reach: 'not-run' });
    expect(reachOfPythonFinding(model, '/repo/app.py', false)).toMatchObject({ reach: 'production' });
  });

  it('is no entrypoint of its own when a command runs uwsgi over its folder', async () => {
    const model = await modelOf({
      '/repo/apf.ini': '[uwsgi]\nmodule = wsgi:app\n',
      '/repo/Procfile': 'web: uwsgi --ini apf.ini\n',
    });
    expect(model.entrypoints.map((entrypoint) => entrypoint.kind)).toEqual(['procfile']);
  });
});

describe('gunicorn config files', () => {
  it('gunicorn.conf.py setting wsgi_app serves that app with gunicorn', async () => {
    const model = await modelOf({ '/repo/gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nwsgi_app = "app:app"\n' });
    expect(served(model)).toEqual([
      {
        kind: 'gunicorn-config',
        role: 'production',
        target: { kind: 'wsgi-server', server: 'gunicorn', app: 'app:app' },
      },
    ]);
    expect(reachOfPythonFinding(model, '/repo/app.py', false)).toMatchObject({ reach: 'production' });
  });

  it('one that names no app says production serves a WSGI server, and brings none of its raw_env', async () => {
    const model = await modelOf({ '/repo/gunicorn_config.py': 'workers = 3\nraw_env = ["FLASK_DEBUG=1"]\n' });
    const entrypoint = must(model.entrypoints[0]);
    expect(entrypoint.serves.target).toEqual({ kind: 'wsgi-server', server: 'gunicorn' });
    expect(entrypoint.name).toContain('names no app');
    expect(entrypoint.environment).toEqual([]);
    const reach = reachOfPythonFinding(model, '/repo/app.py', true);
    expect(reach).toMatchObject({ reach: 'not-run', level: 'warning' });
    expect(reach.reason).toContain('production serves a WSGI server');
  });

  it.each(['gunicornconf.py', 'gunicorn-cfg.py', 'deploy/gunicorn.conf.py'])('%s is a config too', async (name) => {
    const model = await modelOf({ [`/repo/${name}`]: 'workers = 5\nworker_class = "gevent"\n' });
    expect(reachOfPythonFinding(model, '/repo/main.py', true)).toMatchObject({ reach: 'not-run', level: 'warning' });
  });

  it('a module named like a config that sets no gunicorn setting is nothing', async () => {
    const model = await modelOf({ '/repo/gunicorn_config.py': 'import os\n\ndef on_starting(server):\n    pass\n' });
    expect(model.entrypoints).toEqual([]);
  });

  it('is no entrypoint of its own when a command runs gunicorn over its folder', async () => {
    const model = await modelOf({
      '/repo/gunicorn_config.py': 'workers = 3\n',
      '/repo/Procfile': 'web: gunicorn -c gunicorn_config.py app:app\n',
    });
    expect(model.entrypoints.map((entrypoint) => entrypoint.kind)).toEqual(['procfile']);
  });

  it('nor when the script a deploy file runs ends by running gunicorn with it', async () => {
    const model = await modelOf({
      '/repo/gunicorn.conf.py': 'workers = 3\n',
      '/repo/Procfile': 'web: sh ./start.sh\n',
      '/repo/start.sh': '#!/bin/sh\nflask db upgrade\nexec gunicorn -c gunicorn.conf.py run:app\n',
    });
    expect(model.entrypoints.map((entrypoint) => entrypoint.kind)).toEqual(['procfile']);
  });
});

describe('vercel.json', () => {
  it('a @vercel/python build serves the WSGI app of its module', async () => {
    const model = await modelOf({
      '/repo/vercel.json': '{"builds": [{"src": "api/index.py", "use": "@vercel/python"}]}',
    });
    expect(served(model)).toEqual([
      {
        kind: 'vercel',
        role: 'production',
        target: { kind: 'wsgi-server', server: 'vercel', app: 'api/index.py:app' },
      },
    ]);
    expect(reachOfPythonFinding(model, '/repo/api/index.py', true)).toMatchObject({ reach: 'not-run' });
    expect(reachOfPythonFinding(model, '/repo/api/index.py', false)).toMatchObject({ reach: 'production' });
  });

  it('rewrites to an api/ function that exists serve it; to one that does not, or a static build, nothing', async () => {
    const rewrites = '{ "rewrites": [{ "source": "/(.*)", "destination": "/api/index" }] }';
    const present = await modelOf({ '/repo/vercel.json': rewrites, '/repo/api/index.py': 'from app import app\n' });
    expect(present.entrypoints.map((entrypoint) => entrypoint.serves.argv)).toEqual([
      ['@vercel/python', 'api/index.py'],
    ]);
    expect((await modelOf({ '/repo/vercel.json': rewrites })).entrypoints).toEqual([]);
    const staticBuild = '{"builds": [{"src": "package.json", "use": "@vercel/static-build"}]}';
    expect((await modelOf({ '/repo/vercel.json': staticBuild })).entrypoints).toEqual([]);
    expect((await modelOf({ '/repo/vercel.json': '{ not json' })).entrypoints).toEqual([]);
  });
});

describe('check reads them from disk', () => {
  it('a gunicorn config naming no app turns the __main__ run into a warning and adds no finding of its own', async () => {
    const cwd = join(REPO_ROOT, 'fixtures', 'deploy-severity', 'gunicorn-config-no-app');
    const report = await runCheck({ paths: ['.'], includeTests: false, cwd, jobs: 1 });
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.severity}`)).toEqual(['run-debug warning']);
    expect(report.findings[0]?.message).toContain(
      'production runs gunicorn config gunicorn_config.py (it names no app; production serves a WSGI server)',
    );
  });

  it('a uWSGI ini named for nothing in particular is found by its [uwsgi] section', async () => {
    const cwd = join(REPO_ROOT, 'fixtures', 'deploy-severity', 'uwsgi-ini-module');
    const [finding] = (await runCheck({ paths: ['.'], includeTests: false, cwd, jobs: 1 })).findings;
    expect(finding?.message).toContain('production runs uWSGI config site.ini (`uwsgi --ini site.ini`)');
  });
});
