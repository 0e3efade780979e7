import { describe, expect, it } from 'vitest';
import { loadDeployModel, type DeployFileRef } from '../../src/deploy/model-loader.js';
import { reachOfPythonFinding } from '../../src/deploy/model-reach.js';
import { withShellGrammar } from '../../src/deploy/shell/shell-parser.js';
import type { DeployModel } from '../../src/deploy/model.js';
import { parseYamlDocuments } from '../../src/deploy/yaml-nodes.js';
import { appEngineEnvVariableFix } from '../../src/deploy/app-engine-edits.js';
import { must } from '../support/must.js';

/** The model of an in-memory repository at /repo: every .yaml file is a deploy file. */
function modelOf(files: Record<string, string>): Promise<DeployModel> {
  const deployFiles: DeployFileRef[] = Object.keys(files)
    .filter((path) => /\.ya?ml$/.test(path))
    .map((path) => ({ path, kind: 'yaml' }));
  return withShellGrammar(() =>
    loadDeployModel({ root: '/repo', files: deployFiles, readText: (path) => files[path] }),
  );
}

const STANDARD = 'runtime: python39\ninstance_class: F2\nenv_variables:\n  FLASK_DEBUG: "1"\n  BUCKET: b\n';

function applyFix(source: string, start: number): string {
  const fix = must(appEngineEnvVariableFix(source, parseYamlDocuments(source), start));
  const [edit] = fix.edits;
  const { start: from, end, replacement } = must(edit);
  return source.slice(0, from) + replacement + source.slice(end);
}

describe('App Engine app.yaml', () => {
  it('without an entrypoint the standard runtime serves main:app with gunicorn, with env_variables set', async () => {
    const model = await modelOf({ '/repo/app.yaml': STANDARD });
    const [entrypoint] = model.entrypoints;
    expect(entrypoint).toMatchObject({ kind: 'app-engine', name: 'app.yaml (App Engine)', role: 'production' });
    expect(entrypoint?.roleReason).toContain('serves the app object of main.py with gunicorn');
    expect(entrypoint?.serves.argv).toEqual(['gunicorn', 'main:app']);
    expect(entrypoint?.scope).toBe('/repo');
    expect(
      entrypoint?.environment.map((setting) => `${setting.name}=${setting.value} (line ${setting.at.line})`),
    ).toEqual(['FLASK_DEBUG=1 (line 4)', 'BUCKET=b (line 5)']);
    // Production never runs main.py's __main__ block: a warning there, an error outside it.
    expect(reachOfPythonFinding(model, '/repo/main.py', true)).toMatchObject({ reach: 'not-run', level: 'warning' });
    expect(reachOfPythonFinding(model, '/repo/main.py', false)).toMatchObject({ reach: 'production', level: 'error' });
  });

  it('an entrypoint is read as shell, its words placed; service: names it, its folder scopes it', async () => {
    const source = 'runtime: python312\nservice: api\nentrypoint: python main.py\n';
    const model = await modelOf({ '/repo/api/app.yaml': source, '/repo/web/app.yaml': 'runtime: python312\n' });
    const api = must(model.entrypoints.find((entrypoint) => entrypoint.file === '/repo/api/app.yaml'));
    expect(api).toMatchObject({ name: 'app.yaml (App Engine service api)', scope: '/repo/api' });
    expect(api.serves.target.kind).toBe('python-script');
    expect(must(api.command.words).map((word) => source.slice(word.start, word.end))).toEqual(['python', 'main.py']);
    expect(reachOfPythonFinding(model, '/repo/api/main.py', true)).toMatchObject({
      reach: 'production',
      level: 'error',
    });
    expect(reachOfPythonFinding(model, '/repo/web/main.py', true)).toMatchObject({ reach: 'not-run' });
  });

  it('only Python app.yaml files are App Engine services; app.dev.yaml is for development', async () => {
    const model = await modelOf({
      '/repo/node/app.yaml': 'runtime: nodejs20\nenv_variables:\n  FLASK_DEBUG: "1"\n',
      '/repo/py2/app.yaml': 'runtime: python27\napi_version: 1\n',
      '/repo/other/service.yaml': 'runtime: python39\n',
      '/repo/flex/app.yaml': 'runtime: python\nenv: flex\nentrypoint: gunicorn -b :$PORT main:app\n',
      '/repo/app.dev.yaml': 'runtime: python311\n',
      '/repo/py37/app37.yaml': 'runtime: python37\n',
      '/repo/old-flex/app.yaml': 'runtime: python\nvm: true\nentrypoint: gunicorn -b :$PORT main:app\n',
      '/repo/application.yml': 'spring:\n  runtime: python3\n',
      '/repo/apphosting.yaml': 'runtime: python312\n',
    });
    expect(model.entrypoints.map((entrypoint) => [entrypoint.file, entrypoint.role])).toEqual([
      ['/repo/flex/app.yaml', 'production'],
      ['/repo/app.dev.yaml', 'development'],
      ['/repo/py37/app37.yaml', 'production'],
      ['/repo/old-flex/app.yaml', 'production'],
    ]);
  });

  it('the flexible environment without an entrypoint runs nothing the model knows', async () => {
    const model = await modelOf({ '/repo/app.yaml': 'runtime: python\nenv: flex\n' });
    expect(model.entrypoints[0]?.serves.target.kind).toBe('other');
    expect(reachOfPythonFinding(model, '/repo/main.py', true).reach).not.toBe('not-run');
  });

  it("the fix removes the entry's line, and the env_variables key with its only entry", () => {
    expect(applyFix(STANDARD, STANDARD.indexOf('FLASK_DEBUG'))).toBe(
      'runtime: python39\ninstance_class: F2\nenv_variables:\n  BUCKET: b\n',
    );
    const only = 'runtime: python39\nenv_variables:\n  FLASK_DEBUG: "1"  # on\nhandlers:\n  - url: /.*\n';
    expect(applyFix(only, only.indexOf('FLASK_DEBUG'))).toBe('runtime: python39\nhandlers:\n  - url: /.*\n');
    // A flow map shares its line with the other entries: left for a person.
    const flow = 'runtime: python39\nenv_variables: {FLASK_DEBUG: "1", B: c}\n';
    expect(appEngineEnvVariableFix(flow, parseYamlDocuments(flow), flow.indexOf('FLASK_DEBUG'))).toBeUndefined();
  });
});
