import { describe, expect, it } from 'vitest';
import { loadDeployModel, type DeployFileRef } from '../../src/deploy/model-loader.js';
import { reachOfPythonFinding } from '../../src/deploy/model-reach.js';
import { withShellGrammar } from '../../src/deploy/shell/shell-parser.js';
import { effectiveEnvironment, type DeployModel } from '../../src/deploy/model.js';
import { parseYamlDocuments } from '../../src/deploy/yaml-nodes.js';
import { renderEnvVarFix } from '../../src/deploy/render-edits.js';
import { must } from '../support/must.js';

/** The model of an in-memory repository at /repo: render.yaml files and Dockerfiles are deploy files. */
function modelOf(files: Record<string, string>): Promise<DeployModel> {
  const deployFiles: DeployFileRef[] = Object.keys(files).flatMap((path): DeployFileRef[] =>
    path.endsWith('.yaml')
      ? [{ path, kind: 'yaml' }]
      : path.endsWith('Dockerfile')
        ? [{ path, kind: 'dockerfile' }]
        : [],
  );
  return withShellGrammar(() =>
    loadDeployModel({ root: '/repo', files: deployFiles, readText: (path) => files[path] }),
  );
}

const BLUEPRINT = `services:
  - type: web
    name: site
    runtime: python
    buildCommand: pip install -r requirements.txt
    startCommand: gunicorn app:app
    envVars:
      - key: FLASK_DEBUG
        value: "1"
      - key: DATABASE_URL
        fromDatabase:
          name: db
          property: connectionString
      - key: SECRET_KEY
        generateValue: true
      - fromGroup: shared
  - type: worker
    name: jobs
    env: python
    startCommand: "cd worker && python run.py"
  - type: redis
    name: cache
    ipAllowList: []
  - type: web
    name: docs
    runtime: static
    staticPublishPath: ./public
envVarGroups:
  - name: shared
    envVars:
      - key: FLASK_ENV
        value: development
databases:
  - name: db
`;

describe('Render blueprints (render.yaml)', () => {
  it('each web and worker service is a production entrypoint: its startCommand read as shell, its envVars and groups', async () => {
    const model = await modelOf({ '/repo/render.yaml': BLUEPRINT });
    expect(
      model.entrypoints.map((entrypoint) => ({
        name: entrypoint.name,
        kind: entrypoint.kind,
        role: entrypoint.role,
        serves: entrypoint.serves.argv,
        target: entrypoint.serves.target.kind,
      })),
    ).toEqual([
      {
        name: 'render.yaml service site',
        kind: 'render',
        role: 'production',
        serves: ['gunicorn', 'app:app'],
        target: 'wsgi-server',
      },
      {
        name: 'render.yaml service jobs',
        kind: 'render',
        role: 'production',
        serves: ['python', 'run.py'],
        target: 'python-script',
      },
    ]);
    const site = must(model.entrypoints[0]);
    // Only literal values: fromDatabase and generateValue are set by Render, not written in the file.
    expect(site.environment.map((setting) => `${setting.name}=${setting.value} (line ${setting.at.line})`)).toEqual([
      'FLASK_DEBUG=1 (line 8)',
      'FLASK_ENV=development (line 31)',
    ]);
    expect(site.environment.map((setting) => setting.origin)).toEqual(['render-env-var', 'render-env-var']);
    // The command's words are placed in the file, as a Procfile line's are.
    const words = must(site.command.words);
    expect(words.map((word) => BLUEPRINT.slice(word.start, word.end))).toEqual(['gunicorn', 'app:app']);
  });

  it('production never runs the __main__ block of the module gunicorn serves: a warning, as with a Procfile', async () => {
    const model = await modelOf({ '/repo/render.yaml': BLUEPRINT });
    expect(reachOfPythonFinding(model, '/repo/app.py', true)).toMatchObject({ reach: 'not-run', level: 'warning' });
    expect(reachOfPythonFinding(model, '/repo/app.py', false)).toMatchObject({ reach: 'production', level: 'error' });
  });

  it('rootDir is the folder the service starts in and whose code it runs', async () => {
    const blueprint =
      'services:\n  - type: web\n    name: api\n    runtime: python\n    rootDir: backend\n' +
      '    startCommand: python app.py\n';
    const model = await modelOf({ '/repo/render.yaml': blueprint });
    expect(model.entrypoints[0]?.scope).toBe('/repo/backend');
    expect(reachOfPythonFinding(model, '/repo/backend/app.py', true)).toMatchObject({
      reach: 'production',
      level: 'error',
    });
    // Code outside the service's root directory is not deployed by it.
    expect(reachOfPythonFinding(model, '/repo/app.py', true).reach).toBe('unknown');
  });

  it('a docker service runs its Dockerfile (from rootDir) with the service envVars, or its dockerCommand', async () => {
    const blueprint =
      'services:\n  - type: web\n    name: api\n    runtime: docker\n    rootDir: api\n' +
      '    dockerfilePath: ./Dockerfile\n    envVars:\n      - key: DASH_DEBUG\n        value: "true"\n' +
      '  - type: worker\n    name: jobs\n    runtime: docker\n    dockerfilePath: ./api/Dockerfile\n' +
      '    dockerCommand: flask run --debug\n';
    const dockerfile = 'FROM python:3.12-slim\nENV FLASK_ENV=production\nCMD ["gunicorn", "app:server"]\n';
    const model = await modelOf({ '/repo/render.yaml': blueprint, '/repo/api/Dockerfile': dockerfile });
    const services = model.entrypoints.filter((entrypoint) => entrypoint.kind === 'render');
    expect(
      services.map((entrypoint) => [entrypoint.name, entrypoint.serves.argv.join(' '), entrypoint.serves.at.path]),
    ).toEqual([
      ['render.yaml service api', 'gunicorn app:server', '/repo/api/Dockerfile'],
      ['render.yaml service jobs', 'flask run --debug', '/repo/render.yaml'],
    ]);
    expect([...effectiveEnvironment(must(services[0])).values()].map((setting) => setting.name)).toEqual([
      'FLASK_ENV',
      'DASH_DEBUG',
    ]);
  });

  it('a compose file or a Kubernetes manifest is not read as a blueprint, nor is a services list without types', async () => {
    const model = await modelOf({
      '/repo/compose.yaml': 'services:\n  web:\n    image: x\n    command: gunicorn app:app\n',
      '/repo/other.yaml': 'services:\n  - name: a\n    url: http://example.invalid\n',
    });
    expect(model.entrypoints.map((entrypoint) => entrypoint.kind)).toEqual(['compose']);
  });

  it("a blueprint named for development (render.dev.yaml) is development's", async () => {
    const model = await modelOf({ '/repo/render.dev.yaml': BLUEPRINT });
    expect(model.entrypoints.map((entrypoint) => entrypoint.role)).toEqual(['development', 'development']);
  });

  it('the fix removes the envVars item, and leaves an empty list for the only item', () => {
    const documents = parseYamlDocuments(BLUEPRINT);
    const start = BLUEPRINT.indexOf('key: FLASK_DEBUG');
    const fix = must(renderEnvVarFix(BLUEPRINT, documents, start));
    const edit = must(fix.edits[0]);
    const after = BLUEPRINT.slice(0, edit.start) + edit.replacement + BLUEPRINT.slice(edit.end);
    expect(after).toContain('    envVars:\n      - key: DATABASE_URL\n');
    expect(after).not.toContain('FLASK_DEBUG');
    // The group's only item: the list is left empty.
    const groupFix = must(renderEnvVarFix(BLUEPRINT, documents, BLUEPRINT.indexOf('key: FLASK_ENV')));
    const groupEdit = must(groupFix.edits[0]);
    const emptied = BLUEPRINT.slice(0, groupEdit.start) + groupEdit.replacement + BLUEPRINT.slice(groupEdit.end);
    expect(emptied.endsWith('  - name: shared\n    envVars: []\ndatabases:\n  - name: db\n')).toBe(true);
    // A flow list is edited by hand.
    const flow = 'services:\n  - type: web\n    name: a\n    envVars: [{key: FLASK_DEBUG, value: "1"}]\n';
    expect(renderEnvVarFix(flow, parseYamlDocuments(flow), flow.indexOf('{key'))).toBeUndefined();
  });
});
